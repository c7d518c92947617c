import { Injectable, Logger } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { SOCKET_PERMISSIONS } from '../auth/permissions';
import { VisibilityService, type ConversationPlacement } from '../conversations/visibility.service';
import type { ConversationView } from '../common/views';
import { DomainEvents } from '../events/domain-events';
import { AgentEventsRepository } from './agent-events.repository';
import { roomsFor, STAFF_ROOM, userRoom } from './rooms';

/** How long a customer's display name is reused for live events (the API always reads it fresh). */
const NAME_TTL_MS = 10_000;
const NAME_CACHE_MAX = 10_000;

/**
 * Domain events -> the rooms allowed to see them. Emits go through the socket.io adapter, so
 * with Redis they reach agents connected to any instance.
 */
@Injectable()
export class AgentEventsForwarder {
  /** customerId -> display name: an inbound message emits conversation.updated and message.created, one lookup serves both. */
  private readonly names = new Map<string, { name: Promise<string>; at: number }>();

  constructor(
    private readonly repo: AgentEventsRepository,
    private readonly visibility: VisibilityService,
    private readonly events: DomainEvents,
  ) {}

  start(server: () => Namespace | undefined): void {
    const log = new Logger('AgentEventsForwarder');
    // An event the permission table does not list is not sent (and said so), as a route with no row is refused.
    const permitted = (event: string) => {
      if (SOCKET_PERMISSIONS[`/agents >${event}`]) return true;
      log.error(`/agents >${event} is not in the permission table; not sent`);
      return false;
    };
    const emit = (rooms: string[], event: string, payload: unknown) => {
      if (permitted(event)) server()?.to(rooms).emit(event, payload);
    };
    this.events.on('conversation.created', async ({ conversation }) => {
      const c = await this.withCustomer(conversation);
      emit(roomsFor(c), 'conversation.created', { conversation: c });
    });
    this.events.on('conversation.updated', async ({ conversation }) => {
      const c = await this.withCustomer(conversation);
      emit(roomsFor(c), 'conversation.updated', { conversation: c });
    });
    // A message outside any conversation (a routed notification, a campaign send) is on no
    // agent's screen: it and its statuses stay off the live feed, or a campaign would push two
    // events per recipient to every connected agent.
    this.events.on('message.created', async ({ message, conversation }) => {
      if (!conversation && !message.conversationId) return;
      const conv = conversation
        ? await this.withCustomer(conversation)
        : await this.conversationRef(message.conversationId!);
      if (!conv) return;
      emit(roomsFor(conv), 'message.created', {
        message,
        conversation: conversation ? conv : undefined,
      });
    });
    this.events.on('message.status', async (e) => {
      const conv = e.conversationId ? await this.conversationRef(e.conversationId) : null;
      if (!conv) return;
      emit(roomsFor(conv), 'message.status', {
        messageId: e.messageId,
        status: e.status,
        conversationId: e.conversationId,
      });
    });
    this.events.on('sla.breached', (e) => {
      emit([STAFF_ROOM, ...(e.assigneeId ? [userRoom(e.assigneeId)] : [])], 'sla.breached', {
        conversationId: e.conversationId,
        kind: e.kind,
        policy: e.policy,
      });
    });
    // A note may mention someone outside the conversation's team: they learn who asked them
    // where, but the note's text reaches only sockets allowed to see the conversation.
    this.events.on('inbox.mention', async (e) => {
      if (!permitted('mention')) return;
      const conv = await this.conversationRef(e.conversationId);
      const allowed = new Set(conv ? roomsFor(conv) : [STAFF_ROOM]);
      const bare = { conversationId: e.conversationId, messageId: e.messageId, by: e.by };
      const sockets = (await server()?.in(e.userIds.map(userRoom)).fetchSockets()) ?? [];
      for (const socket of sockets)
        socket.emit(
          'mention',
          [...socket.rooms].some((r) => allowed.has(r)) ? { ...bare, text: e.text } : bare,
        );
    });
    this.events.on('customer.merged', (e) => {
      this.names.delete(e.survivorId);
      this.names.delete(e.duplicateId);
    });
    this.events.on('message.updated', async ({ message }) => {
      const conv = message.conversationId
        ? await this.conversationRef(message.conversationId)
        : null;
      if (conv) emit(roomsFor(conv), 'message.updated', { message });
    });
    // Live campaign and crisis-broadcast progress for supervisors (marketers follow the SSE stream).
    this.events.on('campaign.progress', (e) => emit([STAFF_ROOM], 'campaign.progress', e));
    this.events.on('notification.created', (e) =>
      emit([userRoom(e.userId)], 'notification', e.notification),
    );
    this.events.on('follow_up.due', (e) => {
      emit([userRoom(e.agentId)], 'follow_up.due', {
        followUpId: e.followUpId,
        conversationId: e.conversationId,
        note: e.note,
      });
    });
  }

  /** The conversation's team and assignee, which decide the rooms its events go to. */
  conversationRef(id: string): Promise<ConversationPlacement | null> {
    return this.visibility.placementOf(id);
  }

  private async withCustomer(c: ConversationView): Promise<ConversationView> {
    if (c.customer) return c;
    return {
      ...c,
      customer: { id: c.customerId, displayName: await this.displayName(c.customerId) },
    };
  }

  /** Concurrent asks for one customer (its conversation.updated and message.created) share one read. */
  private displayName(customerId: string): Promise<string> {
    const hit = this.names.get(customerId);
    if (hit && Date.now() - hit.at < NAME_TTL_MS) return hit.name;
    const name = this.repo.customerDisplayName(customerId).catch((err: unknown) => {
      this.names.delete(customerId);
      throw err;
    });
    if (this.names.size >= NAME_CACHE_MAX)
      this.names.delete(this.names.keys().next().value as string);
    this.names.delete(customerId);
    this.names.set(customerId, { name, at: Date.now() });
    return name;
  }
}
