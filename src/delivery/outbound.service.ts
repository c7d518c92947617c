import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { addressKindOf, type Channel, type Purpose } from '../common/names';
import { conversationView, messageView, type MessageView } from '../conversations/views';
import { emailThreadHeaders } from '../email/email-thread-headers';
import { DomainEvents } from '../events/domain-events';
import { JobQueueService } from '../queue/job-queue.service';
import { deliveryQueueOf } from '../queue/send-rates';
import { DeliveryService, SEND_MAX_ATTEMPTS } from './delivery.service';
import { fallbackDedupeKey, FALLBACK_JOB } from './fallback-job';

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
  /** Routed sends: step 0 of the fallback chain, checked at this time (staged with the message). */
  fallbackCheckAt?: Date | null;
}

type Row = Record<string, unknown>;

interface Inserted {
  row: Row;
  created: boolean;
  /** Outbox rows written with the message, to dispatch after commit. */
  jobs: Array<{ id: string; queue: string; runAt: Date; maxAttempts: number }>;
  conversation: Row | null;
}

/** $1..$16: the message; a retried idempotency key inserts nothing. */
const INSERT_MESSAGE = `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, html, subject, address,
                               author_id, idempotency_key, purpose, topic, urgency, template, route, metadata, send_at)
         VALUES ($1, $2, 'outbound', 'message', $3, 'queued', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`;

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
    if (!identity[0])
      throw new DomainError(
        'unprocessable',
        `channel: the customer has no ${input.channel} identity`,
      );
    if (identity[0].status !== 'active') {
      throw new DomainError(
        'unprocessable',
        `channel: the customer's ${input.channel} address is ${identity[0].status}`,
      );
    }
    const consent = check.consent;
    if (consent === 'revoked')
      throw new DomainError(
        'unprocessable',
        `channel: the customer revoked ${input.purpose} consent on ${input.channel}`,
      );
    if (input.purpose === 'marketing' && consent !== 'granted') {
      throw new DomainError('unprocessable', `channel: no marketing consent on ${input.channel}`);
    }
    // Email replies thread under the customer's last mail (In-Reply-To/References); explicit metadata wins.
    const thread =
      input.channel === 'email' && input.conversationId
        ? await emailThreadHeaders(this.db, input.conversationId)
        : {};
    const values = [
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
    ];
    const { row, created, jobs, conversation } = input.conversationId
      ? await this.insertInConversation(input, values)
      : await this.insertWithJob(input, values);
    const message = messageView(row);
    if (created) {
      await Promise.all(jobs.map((job) => this.queue.dispatch(job)));
      const convView = conversation ? conversationView(conversation) : null;
      this.events.emit('message.created', {
        message,
        conversation: convView,
        isNewConversation: false,
      });
      if (convView) this.events.emit('conversation.updated', { conversation: convView });
    }
    return { message, created };
  }

  /**
   * No conversation to touch: the message and its send job (the outbox row JobQueueService.stage
   * writes, on the channel's delivery queue) in one statement, so one round trip and atomic.
   */
  private async insertWithJob(input: DirectSend, values: unknown[]): Promise<Inserted> {
    const rows = (await this.db.query(
      `WITH msg AS (${INSERT_MESSAGE}),
            job AS (INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, run_at, max_attempts)
                    SELECT $17, 'send', jsonb_build_object('messageId', msg.id), 'send:' || msg.id, $18, $19 FROM msg
                    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
                    RETURNING id, queue, run_at, max_attempts),
            check_job AS (INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, run_at, max_attempts)
                    SELECT $20, $21, jsonb_build_object('messageId', msg.id, 'step', 0), 'fallback:' || msg.id || ':0', $22, $23 FROM msg
                    WHERE $22::timestamptz IS NOT NULL
                    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
                    RETURNING id, queue, run_at, max_attempts)
       SELECT msg.*, job.id AS outbox_id, job.queue AS outbox_queue, job.run_at AS outbox_run_at, job.max_attempts AS outbox_max_attempts,
              check_job.id AS check_id, check_job.queue AS check_queue, check_job.run_at AS check_run_at, check_job.max_attempts AS check_max_attempts
       FROM msg CROSS JOIN job LEFT JOIN check_job ON true`,
      [
        ...values,
        deliveryQueueOf(input.channel),
        input.sendAt ?? new Date(),
        SEND_MAX_ATTEMPTS,
        FALLBACK_JOB.queue,
        FALLBACK_JOB.name,
        input.fallbackCheckAt ?? null,
        FALLBACK_JOB.maxAttempts,
      ],
    )) as Row[];
    const row = rows[0];
    if (!row) return this.existing(this.db.manager, input);
    const jobs = [
      {
        id: row.outbox_id as string,
        queue: row.outbox_queue as string,
        runAt: row.outbox_run_at as Date,
        maxAttempts: row.outbox_max_attempts as number,
      },
    ];
    if (row.check_id) {
      jobs.push({
        id: row.check_id as string,
        queue: row.check_queue as string,
        runAt: row.check_run_at as Date,
        maxAttempts: row.check_max_attempts as number,
      });
    }
    return { row, created: true, jobs, conversation: null };
  }

  /** An agent's reply: the message, its send job and the conversation's summary in one transaction. */
  private insertInConversation(input: DirectSend, values: unknown[]): Promise<Inserted> {
    return this.db.transaction(async (m) => {
      const inserted = (await m.query(INSERT_MESSAGE, values)) as Row[];
      if (!inserted[0]) return this.existing(m, input);
      const job = await this.delivery.stageSend(
        m,
        inserted[0].id as string,
        input.sendAt ?? undefined,
        input.channel,
      );
      const c = (await m.query(
        `UPDATE conversations SET last_message_at = now(), last_channel = $2, last_message_preview = left($3, 140),
                first_response_at = CASE WHEN $4::uuid IS NOT NULL THEN COALESCE(first_response_at, now()) ELSE first_response_at END,
                updated_at = now()
         WHERE id = $1 RETURNING *`,
        [input.conversationId, input.channel, input.text, input.authorId ?? null],
      )) as [Row[], number];
      const jobs = [job];
      if (input.fallbackCheckAt) {
        jobs.push(
          await this.queue.stage(m, {
            queue: FALLBACK_JOB.queue,
            name: FALLBACK_JOB.name,
            payload: { messageId: inserted[0].id as string, step: 0 },
            dedupeKey: fallbackDedupeKey(inserted[0].id as string, 0),
            runAt: input.fallbackCheckAt,
            maxAttempts: FALLBACK_JOB.maxAttempts,
          }),
        );
      }
      return { row: inserted[0], created: true, jobs, conversation: c[0][0] ?? null };
    });
  }

  /** The message an earlier request with the same idempotency key created. */
  private async existing(m: EntityManager, input: DirectSend): Promise<Inserted> {
    const rows = (await m.query(`SELECT * FROM messages WHERE idempotency_key = $1`, [
      input.idempotencyKey,
    ])) as Row[];
    return { row: rows[0], created: false, jobs: [], conversation: null };
  }
}
