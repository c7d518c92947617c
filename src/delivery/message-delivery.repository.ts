import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Attachment } from '../common/attachment';
import { Coalescer } from '../common/coalescer';
import type { AttemptStatus, Channel, DeliveryStatus, Purpose } from '../common/names';
import { addressKindOf } from '../common/names';
import type { Tx } from '../database/transactions';
import { outboxDoneSql } from '../queue/outbox-done.sql';
import { preparedQuery } from '../common/prepared-query';

type Row = Record<string, unknown>;

/** How an attempt begun in flight (`sending`) ended. */
export interface AttemptEnd {
  id: string;
  status: AttemptStatus;
  providerMessageId?: string | null;
  details?: Record<string, unknown>;
  errorClass?: string | null;
  errorCode?: string | null;
  error?: string | null;
}

/** A send's outcome: the message's new status and, when an attempt was made, how it ended. */
export interface SendOutcome {
  messageId: string;
  status: DeliveryStatus;
  providerMessageId: string | null;
  metadata: Record<string, unknown>;
  attempt: AttemptEnd | null;
  /** The outbox row of the send job, marked done by the same statement. */
  jobId: string | null;
}

/** The attempt a crash left in flight: begun, never ended. */
export interface InFlightAttempt {
  id: string;
  attemptNo: number;
  startedAt: Date;
}

/**
 * The message a send job sends, with its latest consent for (channel, purpose), the attempts so
 * far, the one a crash left in flight (if any) and, on WhatsApp, when its customer last wrote there.
 */
export interface MessageToSend {
  id: string;
  customerId: string;
  conversationId: string | null;
  direction: string;
  status: string;
  channel: Channel;
  address: string;
  subject: string | null;
  text: string;
  html: string | null;
  metadata: Record<string, unknown> | null;
  /** Files listed on the message; those with a url of ours are read from the attachments table. */
  attachments: Attachment[];
  purpose: Purpose | null;
  urgency: string | null;
  /** The latest consent for the message's (channel, purpose), or null when there is none. */
  consentStatus: string | null;
  /** The template the message was rendered from; null for free text (an agent's reply). */
  template: string | null;
  /** A WhatsApp message's customer's last inbound WhatsApp message (the window's start). */
  whatsappLastInboundAt: Date | null;
  /** The status of the campaign that sent the message (paused: the send waits for resume). */
  campaignStatus: string | null;
  attemptsSoFar: number;
  inFlight: InFlightAttempt | null;
}

/** A message as a status callback finds it, locked. */
export interface MessageStatus {
  id: string;
  status: DeliveryStatus;
  customerId: string;
  conversationId: string | null;
}

const UUID = `'^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'`;

/**
 * The message a send job names as JSON, with its latest consent for (channel, purpose), the
 * attempts so far and the one left in flight by a crash (if any); `id` is an SQL uuid expression.
 */
function messageForSend(id: string): string {
  return `(SELECT to_jsonb(m) - 'search_text' || jsonb_build_object(
            'consent_status', (SELECT status FROM consents c WHERE c.customer_id = m.customer_id AND c.channel = m.channel
                                 AND c.purpose = m.purpose ORDER BY seq DESC LIMIT 1),
            'whatsapp_last_inbound', CASE WHEN m.channel = 'whatsapp' THEN (
              SELECT i.created_at FROM messages i WHERE i.customer_id = m.customer_id AND i.channel = 'whatsapp'
                 AND i.direction = 'inbound' ORDER BY i.seq DESC LIMIT 1) END,
            'campaign_status', CASE WHEN m.metadata ? 'campaignId' THEN (
              SELECT c.status FROM campaigns c WHERE c.id = (m.metadata->>'campaignId')::uuid) END) || (
            SELECT jsonb_build_object('attempts_so_far', count(*),
                     'in_flight', (array_agg(jsonb_build_object('id', a.id, 'attemptNo', a.attempt_no, 'startedAt', a.created_at)
                                             ORDER BY a.attempt_no DESC) FILTER (WHERE a.status = 'sending'))[1])
            FROM delivery_attempts a WHERE a.message_id = m.id)
          FROM messages m WHERE m.id = ${id})`;
}

/** The message of messageForSend's JSON document. */
function messageToSend(row: Row): MessageToSend {
  const a = row.in_flight as { id: string; attemptNo: number; startedAt: string } | null;
  return {
    id: row.id as string,
    customerId: row.customer_id as string,
    conversationId: (row.conversation_id as string | null) ?? null,
    direction: row.direction as string,
    status: row.status as string,
    channel: row.channel as Channel,
    address: row.address as string,
    subject: (row.subject as string | null) ?? null,
    text: row.text as string,
    html: (row.html as string | null) ?? null,
    metadata: (row.metadata as Record<string, unknown> | null) ?? null,
    attachments: (row.attachments as Attachment[] | null) ?? [],
    purpose: (row.purpose as Purpose | null) ?? null,
    urgency: (row.urgency as string | null) ?? null,
    consentStatus: (row.consent_status as string | null) ?? null,
    template: (row.template as string | null) ?? null,
    whatsappLastInboundAt: row.whatsapp_last_inbound
      ? new Date(row.whatsapp_last_inbound as string)
      : null,
    campaignStatus: (row.campaign_status as string | null) ?? null,
    attemptsSoFar: Number(row.attempts_so_far),
    inFlight: a ? { id: a.id, attemptNo: a.attemptNo, startedAt: new Date(a.startedAt) } : null,
  };
}

/**
 * The send handlers' preload (JobHandlerOptions.preload): the message read with the claim, as
 * {message: ... | null}; NULL when the payload names no well-formed id (the handler then
 * reads it itself and fails as it always did).
 */
export const SEND_PRELOAD = `CASE WHEN j.payload->>'messageId' ~ ${UUID}
  THEN jsonb_build_object('message', ${messageForSend(`(j.payload->>'messageId')::uuid`)}) END`;

/** The message of a preloaded send: undefined when nothing was preloaded, null when it is gone. */
export function preloadedMessage(preloaded: unknown): MessageToSend | null | undefined {
  if (preloaded === null || typeof preloaded !== 'object' || !('message' in preloaded))
    return undefined;
  const message = (preloaded as { message: Row | null }).message;
  return message ? messageToSend(message) : null;
}

/**
 * A message's delivery state: read for its send job, the job's outcome recorded, status
 * callbacks applied. Concurrent sends share one statement each.
 */
@Injectable()
export class MessageDeliveryRepository {
  private readonly loads = new Coalescer((ids: string[]) => this.loadAll(ids));
  private readonly outcomes = new Coalescer((items: SendOutcome[]) => this.recordAll(items));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A campaign send whose turn came while its campaign is paused: it stays queued and counts as
   * scheduled (send_at set), marked heldByPause for the resume to release, and its job is done.
   * The campaign row is share-locked, so a resume (or cancel) committing meanwhile either waits
   * for this and then finds the mark, or is seen here: false, nothing held, the send goes on.
   */
  async holdForPause(messageId: string, jobId: string, campaignId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `WITH c AS (SELECT id FROM campaigns WHERE id = $3::uuid AND status = 'paused' FOR SHARE),
            held AS (UPDATE messages SET send_at = COALESCE(send_at, now()),
                            metadata = metadata || '{"heldByPause": true}'::jsonb, updated_at = now()
                      WHERE id = $1 AND status = 'queued' AND EXISTS (SELECT 1 FROM c) RETURNING id),
            done AS (${outboxDoneSql('ARRAY[$2::uuid]')} AND EXISTS (SELECT 1 FROM held))
       SELECT count(*)::int AS n FROM held`,
      [messageId, jobId, campaignId],
    )) as Array<{ n: number }>;
    return rows[0].n > 0;
  }

  /** The message to send, or null when it is gone. */
  async forSend(messageId: string): Promise<MessageToSend | null> {
    const row = await this.loads.submit(messageId);
    return row ? messageToSend(row) : null;
  }

  /** The attempt row (when sent), the message status and the job's outbox row, atomically. */
  record(outcome: SendOutcome): Promise<void> {
    return this.outcomes.submit(outcome);
  }

  /** The stored files of a message, with their bytes, oldest first (for its send). */
  async attachmentContents(messageId: string): Promise<Attachment[]> {
    const rows = (await this.db.query(
      `SELECT filename, content_type, size, content FROM attachments
       WHERE message_id = $1 AND content IS NOT NULL ORDER BY created_at, id`,
      [messageId],
    )) as Row[];
    return rows.map((r) => ({
      filename: r.filename as string,
      contentType: r.content_type as string,
      size: Number(r.size),
      content: r.content as Buffer,
    }));
  }

  /** The channel of a message, or null when it has none (or is gone). */
  async channelOf(messageId: string, tx?: Tx): Promise<Channel | null> {
    const rows = (await (tx ?? this.db).query(`SELECT channel FROM messages WHERE id = $1`, [
      messageId,
    ])) as Array<{ channel: Channel | null }>;
    return rows[0]?.channel ?? null;
  }

  /** The address a permanent failure refused: its identities become undeliverable. */
  async markUndeliverable(channel: Channel, address: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE customer_identities SET status = 'undeliverable', status_reason = $3 WHERE kind = $1 AND address = $2`,
      [addressKindOf(channel), address, reason.slice(0, 500)],
    );
  }

  /** The message a status callback moves, locked until `tx` ends. */
  async lockStatus(messageId: string, tx: Tx): Promise<MessageStatus> {
    const rows = (await tx.query(
      `SELECT id, status, customer_id, conversation_id FROM messages WHERE id = $1 FOR UPDATE`,
      [messageId],
    )) as Row[];
    const r = rows[0];
    return {
      id: r.id as string,
      status: r.status as DeliveryStatus,
      customerId: r.customer_id as string,
      conversationId: (r.conversation_id as string | null) ?? null,
    };
  }

  /** Sets a message's status, merging `delivery` into its metadata.delivery. */
  async setStatus(
    messageId: string,
    status: DeliveryStatus,
    delivery: Record<string, unknown>,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `UPDATE messages SET status = $2, updated_at = now(),
              metadata = jsonb_set(metadata, '{delivery}', COALESCE(metadata->'delivery', '{}'::jsonb) || $3::jsonb)
       WHERE id = $1`,
      [messageId, status, JSON.stringify(delivery)],
    );
  }

  private async loadAll(ids: string[]): Promise<Array<Row | null>> {
    const rows = await preparedQuery<{ ord: string; message: Row | null }>(
      this.db,
      `SELECT x.ord, ${messageForSend('x.id')} AS message
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, ord)`,
      [ids],
    );
    const byOrd = new Map(rows.map((r) => [Number(r.ord), r.message]));
    return ids.map((_, i) => byOrd.get(i + 1) ?? null);
  }

  private async recordAll(items: SendOutcome[]): Promise<void[]> {
    // JSON values are read as text and cast to jsonb: json_to_recordset's own jsonb columns cost
    // three to four times as much, and a jsonb document in, more still.
    await preparedQuery(
      this.db,
      `WITH o AS (SELECT message_id, status, provider_message_id, metadata::jsonb AS metadata, attempt::jsonb AS attempt, job_id
                    FROM json_to_recordset($1::json)
                    AS o(message_id uuid, status text, provider_message_id text, metadata text, attempt text, job_id uuid)),
            attempt AS (UPDATE delivery_attempts a SET status = o.attempt->>'status',
                               provider_message_id = o.attempt->>'providerMessageId', details = o.attempt->'details',
                               error_class = o.attempt->>'errorClass', error_code = o.attempt->>'errorCode',
                               error = o.attempt->>'error', updated_at = now()
                        FROM o WHERE jsonb_typeof(o.attempt) = 'object' AND a.id = (o.attempt->>'id')::uuid
                          AND a.id = ANY($4::uuid[])),
            done AS (${outboxDoneSql('$3::uuid[]')})
       UPDATE messages m SET status = o.status, provider_message_id = COALESCE(o.provider_message_id, m.provider_message_id),
              metadata = m.metadata || o.metadata, updated_at = now()
       FROM o WHERE m.id = o.message_id AND m.id = ANY($2::uuid[])`,
      [
        JSON.stringify(
          items.map((i) => ({
            message_id: i.messageId,
            status: i.status,
            provider_message_id: i.providerMessageId,
            metadata: i.metadata,
            attempt: i.attempt,
            job_id: i.jobId,
          })),
        ),
        // The message and job ids again, as arrays the planner takes to the primary keys: joined
        // only with the recordset (estimated at 100 rows), it scanned the whole table while its
        // statistics still described a small one, and the plan, prepared, stayed.
        items.map((i) => i.messageId),
        items.flatMap((i) => (i.jobId ? [i.jobId] : [])),
        items.flatMap((i) => (i.attempt ? [i.attempt.id] : [])),
      ],
    );
    return items.map(() => undefined);
  }
}
