import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Attachment } from '../common/attachment';
import { Coalescer } from '../common/coalescer';
import { addressKindOf, type Channel, type Purpose } from '../common/names';
import { preparedQuery, preparedQueryIn } from '../common/prepared-query';
import {
  conversationView,
  messageView,
  type ConversationView,
  type MessageView,
} from '../common/views';
import type { Tx } from '../database/transactions';
import { deliveryQueueOf } from '../queue/send-rates';
import { FALLBACK_JOB } from './fallback-job';
import { SEND_ALLOWED_SQL, type SendCheck } from './send-refusal';
import { SEND_MAX_ATTEMPTS } from './send-job';

type Row = Record<string, unknown>;

/** An outbound message to queue, on a channel already chosen. */
export interface QueuedMessage {
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
  /** 'call' for a call an agent places from a conversation; else a message. */
  kind?: 'message' | 'call';
  /** An agent's uploads sent with the message (e-mail), attached in its transaction. */
  attachmentIds?: string[];
}

/** An outbox row written with a message, to dispatch after commit. */
export interface StagedJob {
  id: string;
  queue: string;
  runAt: Date;
  maxAttempts: number;
}

/** What the checked insert did with one send. */
export interface CheckedInsert {
  /** The identity and consent it was checked against. */
  check: SendCheck;
  /** The message; null when the check refused it or its idempotency key was taken. */
  message: MessageView | null;
  /** Its send job, then its first fallback check when it has one. */
  jobs: StagedJob[];
}

/**
 * $1..$17: the message, with its author's name (the live feed shows who replied); a retried
 * idempotency key inserts nothing.
 */
const INSERT_MESSAGE = `WITH m AS (INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, html, subject, address,
                               author_id, idempotency_key, purpose, topic, urgency, template, route, metadata, send_at)
         VALUES ($1, $2, 'outbound', $17, $3, 'queued', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         RETURNING *)
  SELECT m.*, u.name AS author_name FROM m LEFT JOIN users u ON u.id = m.author_id`;

/** Outbound messages as they are queued: checked, inserted with their jobs, found again by key. */
@Injectable()
export class OutboundMessagesRepository {
  /** Concurrent sends outside a conversation: checked and inserted in one statement. */
  private readonly inserts = new Coalescer((inputs: QueuedMessage[]) => this.insertAll(inputs));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * No conversation to touch: the identity and consent check, the message and its send job
   * (the outbox row JobQueueService.stage writes, on the channel's delivery queue) and its
   * first fallback check, all in one statement, so atomic; concurrent sends share it.
   */
  insertChecked(input: QueuedMessage): Promise<CheckedInsert> {
    return this.inserts.submit(input);
  }

  /** The customer's latest inbound message on the channel; null when none. */
  async lastInboundAt(customerId: string, channel: Channel): Promise<Date | null> {
    const [row] = (await this.db.query(
      `SELECT max(created_at) AS at FROM messages
        WHERE customer_id = $1 AND channel = $2 AND direction = 'inbound'`,
      [customerId, channel],
    )) as Array<{ at: Date | null }>;
    return row?.at ? new Date(row.at) : null;
  }

  /** The identity of the channel's kind and the latest consent for (channel, purpose), in one round trip. */
  async sendCheck(customerId: string, channel: Channel, purpose: Purpose): Promise<SendCheck> {
    const [check] = (await this.db.query(
      `SELECT (SELECT json_build_object('address', address, 'status', status) FROM customer_identities
                WHERE customer_id = $1 AND kind = $2 ORDER BY (status = 'active') DESC, created_at DESC LIMIT 1) AS identity,
              (SELECT status FROM consents WHERE customer_id = $1 AND channel = $3 AND purpose = $4 ORDER BY seq DESC LIMIT 1) AS consent`,
      [customerId, addressKindOf(channel), channel, purpose],
    )) as Row[];
    return {
      identity: (check.identity as SendCheck['identity']) ?? null,
      consent: (check.consent as string | null) ?? null,
    };
  }

  /** The message, queued for `address`; null when its idempotency key was taken already. */
  async insert(
    input: QueuedMessage,
    address: string,
    metadata: Record<string, unknown>,
    tx: Tx,
  ): Promise<MessageView | null> {
    const rows = await preparedQueryIn(tx, INSERT_MESSAGE, [
      input.customerId,
      input.conversationId ?? null,
      input.channel,
      input.text,
      input.html ?? null,
      input.subject ?? null,
      address,
      input.authorId ?? null,
      input.idempotencyKey ?? null,
      input.purpose,
      input.topic ?? null,
      input.urgency ?? null,
      input.template ?? null,
      input.route ? JSON.stringify(input.route) : null,
      JSON.stringify(metadata),
      input.sendAt ?? null,
      input.kind ?? 'message',
    ]);
    return rows[0] ? messageView(rows[0]) : null;
  }

  /**
   * Links the author's pending uploads to their message and lists them on it; null when one of
   * the ids is not a pending upload of theirs (unknown, someone else's, or already sent).
   */
  async attachUploads(
    messageId: string,
    ids: string[],
    authorId: string | null,
    tx: Tx,
  ): Promise<Attachment[] | null> {
    const rows = (await tx.query(
      `WITH u AS (UPDATE attachments SET message_id = $1
                  WHERE id = ANY($2::uuid[]) AND message_id IS NULL AND uploaded_by = $3
                  RETURNING id, filename, content_type, size)
       SELECT * FROM u`,
      [messageId, ids, authorId],
    )) as Row[];
    if (rows.length !== new Set(ids).size) return null;
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    const listed: Attachment[] = [...new Set(ids)].map((id) => {
      const r = byId.get(id)!;
      return {
        filename: r.filename as string,
        contentType: r.content_type as string,
        size: Number(r.size),
        url: `/api/v1/attachments/${id}`,
      };
    });
    await tx.query(`UPDATE messages SET attachments = $2::jsonb WHERE id = $1 RETURNING id`, [
      messageId,
      JSON.stringify(listed),
    ]);
    return listed;
  }

  /**
   * An agent's reply in the conversation: its last message, channel and preview, and its first
   * response when an agent wrote it. Null when the conversation is gone.
   */
  async noteReply(
    conversationId: string,
    channel: Channel,
    text: string,
    authorId: string | null,
    tx: Tx,
  ): Promise<ConversationView | null> {
    const c = await preparedQueryIn(
      tx,
      `UPDATE conversations SET last_message_at = now(), last_channel = $2, last_message_preview = left($3, 140),
              first_response_at = CASE WHEN $4::uuid IS NOT NULL THEN COALESCE(first_response_at, now()) ELSE first_response_at END,
              updated_at = now()
       WHERE id = $1 RETURNING *`,
      [conversationId, channel, text, authorId],
    );
    return c[0] ? conversationView(c[0]) : null;
  }

  /** The message an earlier request with this idempotency key created, or null. */
  async byIdempotencyKey(key: string | null | undefined): Promise<MessageView | null> {
    const rows = (await this.db.query(
      `SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id
       WHERE m.idempotency_key = $1`,
      [key],
    )) as Row[];
    return rows[0] ? messageView(rows[0]) : null;
  }

  private async insertAll(inputs: QueuedMessage[]): Promise<CheckedInsert[]> {
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
                    RETURNING *),
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
       SELECT msg.*, u.name AS author_name, chk.id AS input_id, chk.address AS identity_address, chk.identity_status, chk.consent AS consent_status,
              job.id AS outbox_id, job.queue AS outbox_queue, job.run_at AS outbox_run_at, job.max_attempts AS outbox_max_attempts,
              check_job.id AS check_id, check_job.queue AS check_queue, check_job.run_at AS check_run_at, check_job.max_attempts AS check_max_attempts
       FROM chk LEFT JOIN msg ON msg.id = chk.id LEFT JOIN job ON job.message_id = chk.id
            LEFT JOIN check_job ON check_job.message_id = chk.id LEFT JOIN users u ON u.id = msg.author_id`,
      [
        JSON.stringify(inputs.map((input, n) => insertRecord(input, ids[n]))),
        SEND_MAX_ATTEMPTS,
        FALLBACK_JOB.queue,
        FALLBACK_JOB.name,
        FALLBACK_JOB.maxAttempts,
      ],
    );
    const byInput = new Map(rows.map((r) => [r.input_id as string, r]));
    return ids.map((id) => checkedInsert(byInput.get(id)!));
  }
}

/** One row of the checked insert's answer: the check, and the message and jobs when written. */
function checkedInsert(row: Row): CheckedInsert {
  const check: SendCheck = {
    identity:
      row.identity_status === null
        ? null
        : { address: row.identity_address as string, status: row.identity_status as string },
    consent: (row.consent_status as string | null) ?? null,
  };
  if (row.id === null) return { check, message: null, jobs: [] };
  const jobs: StagedJob[] = [jobOf(row, 'outbox')];
  if (row.check_id) jobs.push(jobOf(row, 'check'));
  return { check, message: messageView(row), jobs };
}

/** One send as a record of the batched insert's input. */
function insertRecord(input: QueuedMessage, id: string): Record<string, unknown> {
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

function jobOf(row: Row, prefix: 'outbox' | 'check'): StagedJob {
  return {
    id: row[`${prefix}_id`] as string,
    queue: row[`${prefix}_queue`] as string,
    runAt: row[`${prefix}_run_at`] as Date,
    maxAttempts: row[`${prefix}_max_attempts`] as number,
  };
}
