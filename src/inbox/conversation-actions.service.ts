import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import type { Channel, ConversationStatus } from '../common/names';
import type { MessageView } from '../common/views';
import { OutboundService } from '../delivery/outbound.service';
import { DomainEvents } from '../events/domain-events';
import { JobQueueService } from '../queue/job-queue.service';
import { AssignmentRepository } from './assignment.repository';
import { ConversationDetailRepository } from './conversation-detail.repository';
import { ConversationQueryService } from './conversation-query.service';
import {
  ConversationsRepository,
  isOtherActiveConversation,
  withCustomerName,
  type InboxConversation,
} from './conversations.repository';
import { mentionedIds } from './mentions';
import { attachmentRefusal, defaultReplyChannel } from './reply-channel';

/** Spoken when the customer answers a call an agent placed without words of their own. */
export const AGENT_CALL_GREETING =
  '您好，这里是客服中心，就您的咨询致电。Hello, this is customer support calling about your request.';

/** What agents do to a conversation: reply, note, change status, assign. */
@Injectable()
export class ConversationActionsService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly timeline: ConversationDetailRepository,
    private readonly assignment: AssignmentRepository,
    private readonly query: ConversationQueryService,
    private readonly outbound: OutboundService,
    private readonly events: DomainEvents,
    private readonly queue: JobQueueService,
    private readonly audit: AuditService,
  ) {}

  /** Sends on the agent's channel, else defaultReplyChannel; OutboundService checks identity and consent. */
  async reply(
    user: AuthUser,
    id: string,
    text: string,
    picked?: Channel,
    attachmentIds: string[] = [],
  ) {
    const conv = await this.query.visibleRow(user, id);
    const channel = picked ?? defaultReplyChannel(conv);
    if (!channel)
      throw new DomainError(
        'bad_request',
        'channel: the conversation has no inbound channel yet; pick one',
      );
    const refused = attachmentRefusal(channel, attachmentIds.length);
    if (refused) throw new DomainError('unprocessable', refused);
    const { message } = await this.outbound.send({
      customerId: conv.customerId,
      conversationId: conv.id,
      channel,
      text,
      purpose: 'service',
      authorId: user.id,
      ...(attachmentIds.length ? { attachmentIds } : {}),
    });
    return {
      messageId: message.id,
      status: message.status,
      route: { channel, address: message.address ?? null },
    };
  }

  /**
   * Places a call to the customer's phone through the voice channel (Twilio Calls API): a
   * `kind: call` item on the timeline whose delivery status follows the call's.
   */
  async call(user: AuthUser, id: string, text?: string) {
    const conv = await this.query.visibleRow(user, id);
    const { message } = await this.outbound.send({
      customerId: conv.customerId,
      conversationId: conv.id,
      channel: 'voice',
      kind: 'call',
      text: text?.trim() || AGENT_CALL_GREETING,
      purpose: 'service',
      authorId: user.id,
      metadata: { placedBy: user.id },
    });
    return { messageId: message.id, status: message.status, address: message.address ?? null };
  }

  /** An internal note: on the timeline, never sent; @mentions notify the users named. */
  async note(user: AuthUser, id: string, text: string): Promise<MessageView> {
    const conv = await this.query.visibleRow(user, id);
    const message = await this.timeline.addNote(conv, text, user);
    this.events.emit('message.created', { message, conversation: conv, isNewConversation: false });
    if (text.includes('@')) {
      const candidates = await this.timeline.mentionCandidates();
      const userIds = mentionedIds(text, candidates).filter((u) => u !== user.id);
      if (userIds.length) {
        this.events.emit('inbox.mention', {
          userIds,
          conversationId: conv.id,
          messageId: message.id,
          by: { id: user.id, name: user.name },
          text,
        });
      }
    }
    return message;
  }

  async setStatus(
    user: AuthUser,
    id: string,
    status: ConversationStatus,
    snoozeUntil?: string,
  ): Promise<InboxConversation> {
    await this.query.visibleRow(user, id);
    const until = status === 'snoozed' && snoozeUntil ? new Date(snoozeUntil) : null;
    let updated: InboxConversation;
    try {
      updated = await this.conversations.setStatus(id, status, until);
    } catch (e) {
      if (isOtherActiveConversation(e)) {
        throw new DomainError(
          'conflict',
          'status: the customer already has another active conversation; resolve it first',
        );
      }
      throw e;
    }
    if (until) {
      await this.queue.enqueue({
        queue: 'timers',
        name: 'conversation.wake',
        payload: { conversationId: id, until: until.toISOString() },
        dedupeKey: `wake:${id}:${until.toISOString()}`,
        runAt: until,
      });
    }
    await this.audit.record({
      actorId: user.id,
      action: 'conversation.status',
      entityType: 'conversation',
      entityId: id,
      details: { status, snoozeUntil: until },
    });
    return this.publish(updated);
  }

  async assign(
    user: AuthUser,
    id: string,
    agentId: string | null | undefined,
    teamId: string | null | undefined,
  ): Promise<InboxConversation> {
    const before = await this.query.visibleRow(user, id);
    if (agentId) {
      const u = await this.assignment.userStanding(agentId);
      if (!u || !u.active)
        throw new DomainError('bad_request', `agentId: no active user ${agentId}`);
      if (u.role === 'marketer')
        throw new DomainError('bad_request', 'agentId: marketers cannot be assigned conversations');
    }
    if (teamId && !(await this.assignment.teamExists(teamId)))
      throw new DomainError('bad_request', `teamId: no team ${teamId}`);
    const updated = await this.conversations.assign(id, agentId, teamId);
    await this.audit.record({
      actorId: user.id,
      action: 'conversation.assign',
      entityType: 'conversation',
      entityId: id,
      details: { agentId, teamId },
    });
    if (agentId && agentId !== before.assigneeId)
      this.events.emit('conversation.assigned', {
        conversationId: id,
        assigneeId: agentId,
        by: { id: user.id, name: user.name },
        at: updated.updatedAt,
      });
    return this.publish(updated);
  }

  async setTags(user: AuthUser, id: string, tags: string[]): Promise<InboxConversation> {
    await this.query.visibleRow(user, id);
    return this.publish(await this.conversations.setTags(id, tags));
  }

  async setPriority(user: AuthUser, id: string, priority: string): Promise<InboxConversation> {
    await this.query.visibleRow(user, id);
    return this.publish(await this.conversations.setPriority(id, priority));
  }

  /** Emits conversation.updated with the customer's name and returns the view. */
  async publish(updated: InboxConversation): Promise<InboxConversation> {
    const name = await this.conversations.customerName(updated.customerId);
    const conv = withCustomerName(updated, name ?? '');
    this.events.emit('conversation.updated', { conversation: conv });
    return conv;
  }
}
