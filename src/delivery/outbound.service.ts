import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import { DomainError } from '../common/errors/domain-error';
import { addressKindOf, type Channel, type Purpose } from '../common/names';
import { conversationView, messageView, type MessageView } from '../conversations/views';
import { EmailThreadsRepository } from './email-threads.repository';
import { DomainEvents } from '../events/domain-events';
import { JobQueueService } from '../queue/job-queue.service';
import { deliveryQueueOf } from '../queue/send-rates';
import { DeliveryService, SEND_MAX_ATTEMPTS } from './delivery.service';
import { fallbackDedupeKey, FALLBACK_JOB } from './fallback-job';
import { SEND_ALLOWED_SQL, sendRefusal, type SendCheck } from './send-refusal';
import { preparedQuery, preparedQueryIn } from '../common/prepared-query';

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
  /** The message; undefined when the send was refused or its idempotency key was taken. */
  row: Row | undefined;
  created: boolean;
  /** Outbox rows written with the message, to dispatch after commit. */
  jobs: Array<{ id: string; queue: string; runAt: Date; maxAttempts: number }>;
  conversation: Row | null;
}

type Job = Inserted['jobs'][number];

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
  /** Concurrent sends outside a conversation: checked and inserted in one statement. */
  private readonly inserts = new Coalescer((inputs: DirectSend[]) => this.insertAll(inputs));

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly delivery: DeliveryService,
    private readonly queue: JobQueueService,
    private readonly events: DomainEvents,
    private readonly emailThreads: EmailThreadsRepository,
  ) {}

  async send(input: DirectSend): Promise<{ message: MessageView; created: boolean }> {
    const inserted = input.conversationId
      ? await this.sendInConversation(input)
      : await this.inserts.submit(input);
    if ('refused' in inserted) throw new DomainError('unprocessable', inserted.refused);
    const { created, jobs, conversation } = inserted;
    const row = inserted.row ?? (await this.existing(this.db.manager, input));
    const message = messageView(row);
    if (created) {
      // The jobs are committed outbox rows: the caller need not wait for the queue to take them
      // (a failed or lost dispatch is the sweeper's; JobQueueService.dispatch never throws).
      for (const job of jobs) void this.queue.dispatch(job);
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
   * No conversation to touch: per send, the identity and consent check, the message and its
   * send job (the outbox row JobQueueService.stage writes, on the channel's delivery queue) and
   * its first fallback check, all in one statement, so atomic; concurrent sends share it.
   */
  private async insertAll(inputs: DirectSend[]): Promise<Array<Inserted | { refused: string }>> {
    // Ids chosen here tie each input to its row of the answer.
    const ids = inputs.map(() => randomUUID());
    // JSON values are read as text and cast to jsonb: json_to_recordset's own jsonb columns cost
    // three to four times as much, and a jsonb document in, more still.
    const rows = await preparedQuery(
      this.db,
      `WITH i AS (SELECT * FROM json_to_recordset($1::json) AS i(
                    id uuid, customer_id uuid, kind text, channel text, text text, html text, subject text,
                    author_id uuid, idempotency_key text, purpose text, topic text, urgency text, template text,
                    route text, metadata text, send_at timestamptz, queue text, run_at timestamptz, check_at timestamptz)),
            chk AS (SELECT i.*, idn.address, idn.status AS identity_status,
                           (SELECT status FROM consents c WHERE c.customer_id = i.customer_id AND c.channel = i.channel
                             AND c.purpose = i.purpose ORDER BY seq DESC LIMIT 1) AS consent
                    FROM i LEFT JOIN LATERAL (
                      SELECT address, status FROM customer_identities
                      WHERE customer_id = i.customer_id AND kind = i.kind
                      ORDER BY (status = 'active') DESC, created_at DESC LIMIT 1) idn ON true),
            msg AS (INSERT INTO messages (id, customer_id, direction, kind, channel, status, text, html, subject, address,
                                          author_id, idempotency_key, purpose, topic, urgency, template, route, metadata, send_at)
                    SELECT id, customer_id, 'outbound', 'message', channel, 'queued', text, html, subject, address,
                           author_id, idempotency_key, purpose, topic, urgency, template, route::jsonb, metadata::jsonb, send_at
                    FROM chk WHERE ${SEND_ALLOWED_SQL}
                    ON CONFLICT (idempotency_key) DO NOTHING RETURNING *),
            job AS (INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, run_at, max_attempts)
                    SELECT i.queue, 'send', jsonb_build_object('messageId', msg.id), 'send:' || msg.id, i.run_at, $2
                    FROM msg JOIN i ON i.id = msg.id
                    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
                    RETURNING id, queue, run_at, max_attempts, (payload->>'messageId')::uuid AS message_id),
            check_job AS (INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, run_at, max_attempts)
                    SELECT $3, $4, jsonb_build_object('messageId', msg.id, 'step', 0), 'fallback:' || msg.id || ':0', i.check_at, $5
                    FROM msg JOIN i ON i.id = msg.id WHERE i.check_at IS NOT NULL
                    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
                    RETURNING id, queue, run_at, max_attempts, (payload->>'messageId')::uuid AS message_id)
       SELECT msg.*, chk.id AS input_id, chk.address AS identity_address, chk.identity_status, chk.consent AS consent_status,
              job.id AS outbox_id, job.queue AS outbox_queue, job.run_at AS outbox_run_at, job.max_attempts AS outbox_max_attempts,
              check_job.id AS check_id, check_job.queue AS check_queue, check_job.run_at AS check_run_at, check_job.max_attempts AS check_max_attempts
       FROM chk LEFT JOIN msg ON msg.id = chk.id LEFT JOIN job ON job.message_id = chk.id
            LEFT JOIN check_job ON check_job.message_id = chk.id`,
      [
        JSON.stringify(inputs.map((input, n) => insertRecord(input, ids[n]))),
        SEND_MAX_ATTEMPTS,
        FALLBACK_JOB.queue,
        FALLBACK_JOB.name,
        FALLBACK_JOB.maxAttempts,
      ],
    );
    const byInput = new Map(rows.map((r) => [r.input_id as string, r]));
    return inputs.map((input, n) => {
      const row = byInput.get(ids[n])!;
      const check: SendCheck = {
        identity:
          row.identity_status === null
            ? null
            : { address: row.identity_address as string, status: row.identity_status as string },
        consent: (row.consent_status as string | null) ?? null,
      };
      const refused = sendRefusal(input.channel, input.purpose, check);
      if (refused !== null) return { refused };
      if (row.id === null) return { row: undefined, created: false, jobs: [], conversation: null };
      const jobs: Job[] = [jobOf(row, 'outbox')];
      if (row.check_id) jobs.push(jobOf(row, 'check'));
      return { row, created: true, jobs, conversation: null };
    });
  }

  /** The check, then the message, its jobs and the conversation's summary in one transaction. */
  private async sendInConversation(input: DirectSend): Promise<Inserted | { refused: string }> {
    // The identity and the latest consent for (channel, purpose) in one round trip.
    const [check] = (await this.db.query(
      `SELECT (SELECT json_build_object('address', address, 'status', status) FROM customer_identities
                WHERE customer_id = $1 AND kind = $2 ORDER BY (status = 'active') DESC, created_at DESC LIMIT 1) AS identity,
              (SELECT status FROM consents WHERE customer_id = $1 AND channel = $3 AND purpose = $4 ORDER BY seq DESC LIMIT 1) AS consent`,
      [input.customerId, addressKindOf(input.channel), input.channel, input.purpose],
    )) as SendCheck[];
    const refused = sendRefusal(input.channel, input.purpose, check);
    if (refused !== null) return { refused };
    // Email replies thread under the customer's last mail (In-Reply-To/References); explicit metadata wins.
    const thread =
      input.channel === 'email' && input.conversationId
        ? await this.emailThreads.headersFor(input.conversationId)
        : {};
    return this.insertInConversation(input, [
      input.customerId,
      input.conversationId ?? null,
      input.channel,
      input.text,
      input.html ?? null,
      input.subject ?? null,
      check.identity!.address,
      input.authorId ?? null,
      input.idempotencyKey ?? null,
      input.purpose,
      input.topic ?? null,
      input.urgency ?? null,
      input.template ?? null,
      input.route ? JSON.stringify(input.route) : null,
      JSON.stringify({ ...thread, ...(input.metadata ?? {}) }),
      input.sendAt ?? null,
    ]);
  }

  /** An agent's reply: the message, its send job and the conversation's summary in one transaction. */
  private insertInConversation(input: DirectSend, values: unknown[]): Promise<Inserted> {
    return this.db.transaction(async (m) => {
      const inserted = await preparedQueryIn(m, INSERT_MESSAGE, values);
      if (!inserted[0]) return { row: undefined, created: false, jobs: [], conversation: null };
      const job = await this.delivery.stageSend(
        m,
        inserted[0].id as string,
        input.sendAt ?? undefined,
        input.channel,
      );
      const c = await preparedQueryIn(
        m,
        `UPDATE conversations SET last_message_at = now(), last_channel = $2, last_message_preview = left($3, 140),
                first_response_at = CASE WHEN $4::uuid IS NOT NULL THEN COALESCE(first_response_at, now()) ELSE first_response_at END,
                updated_at = now()
         WHERE id = $1 RETURNING *`,
        [input.conversationId, input.channel, input.text, input.authorId ?? null],
      );
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
      return { row: inserted[0], created: true, jobs, conversation: c[0] ?? null };
    });
  }

  /** The message an earlier request with the same idempotency key created. */
  private async existing(m: EntityManager, input: DirectSend): Promise<Row> {
    const rows = (await m.query(`SELECT * FROM messages WHERE idempotency_key = $1`, [
      input.idempotencyKey,
    ])) as Row[];
    return rows[0];
  }
}

/** One send as a record of the batched insert's input. */
function insertRecord(input: DirectSend, id: string): Record<string, unknown> {
  return {
    id,
    customer_id: input.customerId,
    kind: addressKindOf(input.channel),
    channel: input.channel,
    text: input.text,
    html: input.html ?? null,
    subject: input.subject ?? null,
    author_id: input.authorId ?? null,
    idempotency_key: input.idempotencyKey ?? null,
    purpose: input.purpose,
    topic: input.topic ?? null,
    urgency: input.urgency ?? null,
    template: input.template ?? null,
    route: input.route ?? null,
    metadata: input.metadata ?? {},
    send_at: input.sendAt ?? null,
    queue: deliveryQueueOf(input.channel),
    run_at: input.sendAt ?? new Date(),
    check_at: input.fallbackCheckAt ?? null,
  };
}

function jobOf(row: Row, prefix: 'outbox' | 'check'): Job {
  return {
    id: row[`${prefix}_id`] as string,
    queue: row[`${prefix}_queue`] as string,
    runAt: row[`${prefix}_run_at`] as Date,
    maxAttempts: row[`${prefix}_max_attempts`] as number,
  };
}
