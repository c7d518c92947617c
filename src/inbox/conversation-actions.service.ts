import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import type { Channel, ConversationStatus } from '../common/names';
import { messageView, type MessageView } from '../conversations/views';
import { OutboundService } from '../delivery/outbound.service';
import { DomainEvents } from '../events/domain-events';
import { JobQueueService } from '../queue/job-queue.service';
import {
  ConversationQueryService,
  inboxConversation,
  type InboxConversation,
} from './conversation-query.service';
import { mentionTokens } from './mentions';

type Row = Record<string, unknown>;

/** What agents do to a conversation: reply, note, change status, assign. */
@Injectable()
export class ConversationActionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: ConversationQueryService,
    private readonly outbound: OutboundService,
    private readonly events: DomainEvents,
    private readonly queue: JobQueueService,
    private readonly audit: AuditService,
  ) {}

  /** Sends on the agent's channel, else the last inbound one; OutboundService checks identity and consent. */
  async reply(user: AuthUser, id: string, text: string, picked?: Channel) {
    const conv = await this.query.visibleRow(user, id);
    const channel = (picked ?? conv.lastInboundChannel ?? conv.lastChannel) as Channel | null;
    if (!channel)
      throw new DomainError(
        'bad_request',
        'channel: the conversation has no inbound channel yet; pick one',
      );
    const { message } = await this.outbound.send({
      customerId: conv.customerId,
      conversationId: conv.id,
      channel,
      text,
      purpose: 'service',
      authorId: user.id,
    });
    return {
      messageId: message.id,
      status: message.status,
      route: { channel, address: message.address ?? null },
    };
  }

  /** An internal note: on the timeline, never sent; @mentions notify the users named. */
  async note(user: AuthUser, id: string, text: string): Promise<MessageView> {
    const conv = await this.query.visibleRow(user, id);
    const [row] = (await this.db.query(
      `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, author_id)
       VALUES ($1, $2, 'outbound', 'note', NULL, 'delivered', $3, $4) RETURNING *`,
      [conv.customerId, conv.id, text, user.id],
    )) as Row[];
    const message = messageView({ ...row, author_name: user.name });
    this.events.emit('message.created', { message, conversation: conv, isNewConversation: false });
    const tokens = mentionTokens(text);
    if (tokens.length) {
      const users = (await this.db.query(
        `SELECT id FROM users WHERE active AND role <> 'marketer' AND (
           lower(split_part(email, '@', 1)) = ANY($1) OR lower(replace(name, ' ', '')) = ANY($1) OR lower(split_part(name, ' ', 1)) = ANY($1))`,
        [tokens],
      )) as Array<{ id: string }>;
      const userIds = users.map((u) => u.id).filter((u) => u !== user.id);
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
    let rows: Row[];
    try {
      rows = (
        (await this.db.query(
          `UPDATE conversations SET status = $2, snoozed_until = $3,
                  resolved_at = CASE WHEN $2 = 'resolved' THEN now() ELSE NULL END,
                  queued_at = CASE WHEN $2 = 'resolved' THEN NULL ELSE queued_at END, updated_at = now()
           WHERE id = $1 RETURNING *`,
          [id, status, until],
        )) as [Row[], number]
      )[0];
    } catch (e) {
      if ((e as { code?: string }).code === '23505') {
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
    return this.publish(rows[0]);
  }

  async assign(
    user: AuthUser,
    id: string,
    agentId: string | null | undefined,
    teamId: string | null | undefined,
  ): Promise<InboxConversation> {
    await this.query.visibleRow(user, id);
    if (agentId) {
      const [u] = (await this.db.query(`SELECT role, active FROM users WHERE id = $1`, [
        agentId,
      ])) as Array<{ role: string; active: boolean }>;
      if (!u || !u.active)
        throw new DomainError('bad_request', `agentId: no active user ${agentId}`);
      if (u.role === 'marketer')
        throw new DomainError('bad_request', 'agentId: marketers cannot be assigned conversations');
    }
    if (teamId) {
      const t = (await this.db.query(`SELECT 1 FROM teams WHERE id = $1`, [teamId])) as unknown[];
      if (!t.length) throw new DomainError('bad_request', `teamId: no team ${teamId}`);
    }
    const [rows] = (await this.db.query(
      `UPDATE conversations SET
         assignee_id = CASE WHEN $2::boolean THEN $3::uuid ELSE assignee_id END,
         team_id = CASE WHEN $4::boolean THEN $5::uuid ELSE team_id END,
         queued_at = CASE WHEN $2::boolean AND $3::uuid IS NOT NULL THEN NULL ELSE queued_at END,
         updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, agentId !== undefined, agentId ?? null, teamId !== undefined, teamId ?? null],
    )) as [Row[], number];
    await this.audit.record({
      actorId: user.id,
      action: 'conversation.assign',
      entityType: 'conversation',
      entityId: id,
      details: { agentId, teamId },
    });
    return this.publish(rows[0]);
  }

  async setTags(user: AuthUser, id: string, tags: string[]): Promise<InboxConversation> {
    await this.query.visibleRow(user, id);
    const [rows] = (await this.db.query(
      `UPDATE conversations SET tags = $2, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, tags],
    )) as [Row[], number];
    return this.publish(rows[0]);
  }

  async setPriority(user: AuthUser, id: string, priority: string): Promise<InboxConversation> {
    await this.query.visibleRow(user, id);
    const [rows] = (await this.db.query(
      `UPDATE conversations SET priority = $2, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, priority],
    )) as [Row[], number];
    return this.publish(rows[0]);
  }

  /** Emits conversation.updated with the customer's name and returns the view. */
  async publish(row: Row): Promise<InboxConversation> {
    const [name] = (await this.db.query(`SELECT display_name FROM customers WHERE id = $1`, [
      row.customer_id,
    ])) as Row[];
    const conv = inboxConversation({ ...row, customer_display_name: name?.display_name ?? '' });
    this.events.emit('conversation.updated', { conversation: conv });
    return conv;
  }
}
