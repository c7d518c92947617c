import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { addressKindOf, type Channel, type Purpose } from '../common/names';
import { conversationView, messageView, type MessageView } from '../conversations/views';
import { emailThreadHeaders } from '../email/email-thread-headers';
import { DomainEvents } from '../events/domain-events';
import { JobQueueService } from '../queue/job-queue.service';
import { DeliveryService } from './delivery.service';

export interface DirectSend {
  customerId: string;
  conversationId?: string | null;
  channel: Channel;
  text: string;
  html?: string | null;
  subject?: string | null;
  purpose: Purpose;
  authorId?: string | null;
  idempotencyKey?: string | null;
  route?: Record<string, unknown> | null;
  metadata?: Record<string, unknown>;
  sendAt?: Date | null;
  topic?: string | null;
  urgency?: string | null;
  template?: string | null;
}

type Row = Record<string, unknown>;

/**
 * Puts one outbound message on the timeline and queues its send, on a channel already chosen
 * (by the routing engine or an agent). Identity and consent are checked here too: nothing
 * leaves for an address the customer does not have or a purpose they refused.
 */
@Injectable()
export class OutboundService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly delivery: DeliveryService,
    private readonly queue: JobQueueService,
    private readonly events: DomainEvents,
  ) {}

  async send(input: DirectSend): Promise<{ message: MessageView; created: boolean }> {
    // The identity and the latest consent for (channel, purpose) in one round trip.
    const [check] = (await this.db.query(
      `SELECT (SELECT json_build_object('address', address, 'status', status) FROM customer_identities
                WHERE customer_id = $1 AND kind = $2 ORDER BY (status = 'active') DESC, created_at DESC LIMIT 1) AS identity,
              (SELECT status FROM consents WHERE customer_id = $1 AND channel = $3 AND purpose = $4 ORDER BY seq DESC LIMIT 1) AS consent`,
      [input.customerId, addressKindOf(input.channel), input.channel, input.purpose],
    )) as Array<{ identity: { address: string; status: string } | null; consent: string | null }>;
    const identity = check.identity === null ? [] : [check.identity];
    if (!identity[0]) throw new DomainError('unprocessable', `channel: the customer has no ${input.channel} identity`);
    if (identity[0].status !== 'active') {
      throw new DomainError('unprocessable', `channel: the customer's ${input.channel} address is ${identity[0].status}`);
    }
    const consent = check.consent;
    if (consent === 'revoked') throw new DomainError('unprocessable', `channel: the customer revoked ${input.purpose} consent on ${input.channel}`);
    if (input.purpose === 'marketing' && consent !== 'granted') {
      throw new DomainError('unprocessable', `channel: no marketing consent on ${input.channel}`);
    }
    // Email replies thread under the customer's last mail (In-Reply-To/References); explicit metadata wins.
    const thread = input.channel === 'email' && input.conversationId ? await emailThreadHeaders(this.db, input.conversationId) : {};
    const { row, created, job, conversation } = await this.db.transaction(async (m) => {
      const inserted = (await m.query(
        `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, html, subject, address,
                               author_id, idempotency_key, purpose, topic, urgency, template, route, metadata, send_at)
         VALUES ($1, $2, 'outbound', 'message', $3, 'queued', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
        [
          input.customerId,
          input.conversationId ?? null,
          input.channel,
          input.text,
          input.html ?? null,
          input.subject ?? null,
          identity[0].address,
          input.authorId ?? null,
          input.idempotencyKey ?? null,
          input.purpose,
          input.topic ?? null,
          input.urgency ?? null,
          input.template ?? null,
          input.route ? JSON.stringify(input.route) : null,
          JSON.stringify({ ...thread, ...(input.metadata ?? {}) }),
          input.sendAt ?? null,
        ],
      )) as Row[];
      if (!inserted[0]) {
        const existing = (await m.query(`SELECT * FROM messages WHERE idempotency_key = $1`, [input.idempotencyKey])) as Row[];
        return { row: existing[0], created: false, job: null, conversation: null };
      }
      const job = await this.delivery.stageSend(m, inserted[0].id as string, input.sendAt ?? undefined, input.channel);
      let conv: Row | null = null;
      if (input.conversationId) {
        const c = (await m.query(
          `UPDATE conversations SET last_message_at = now(), last_channel = $2, last_message_preview = left($3, 140),
                  first_response_at = CASE WHEN $4::uuid IS NOT NULL THEN COALESCE(first_response_at, now()) ELSE first_response_at END,
                  updated_at = now()
           WHERE id = $1 RETURNING *`,
          [input.conversationId, input.channel, input.text, input.authorId ?? null],
        )) as [Row[], number];
        conv = c[0][0] ?? null;
      }
      return { row: inserted[0], created: true, job, conversation: conv };
    });
    const message = messageView(row);
    if (created) {
      if (job) await this.queue.dispatch(job);
      const convView = conversation ? conversationView(conversation) : null;
      this.events.emit('message.created', { message, conversation: convView, isNewConversation: false });
      if (convView) this.events.emit('conversation.updated', { conversation: convView });
    }
    return { message, created };
  }
}
