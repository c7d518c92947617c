import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import type { AttemptStatus, Channel, DeliveryStatus } from '../common/names';
import { outboxDoneSql } from '../queue/job-handler.decorator';
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

/** A send about to call its provider: written `sending` first (committed). */
export interface AttemptStart {
  messageId: string;
  attemptNo: number;
  channel: Channel;
  address: string;
}

/** The attempt a crash left in flight: begun, never ended. */
export interface InFlightAttempt {
  id: string;
  attemptNo: number;
  startedAt: Date;
}

const UUID = `'^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'`;

/**
 * The message a send job names as JSON, with its latest consent for (channel, purpose), the
 * attempts so far and the one left in flight by a crash (if any); `id` is an SQL uuid expression.
 */
function messageForSend(id: string): string {
  return `(SELECT to_jsonb(m) - 'search_text' || jsonb_build_object(
            'consent_status', (SELECT status FROM consents c WHERE c.customer_id = m.customer_id AND c.channel = m.channel
                                 AND c.purpose = m.purpose ORDER BY seq DESC LIMIT 1)) || (
            SELECT jsonb_build_object('attempts_so_far', count(*),
                     'in_flight', (array_agg(jsonb_build_object('id', a.id, 'attemptNo', a.attempt_no, 'startedAt', a.created_at)
                                             ORDER BY a.attempt_no DESC) FILTER (WHERE a.status = 'sending'))[1])
            FROM delivery_attempts a WHERE a.message_id = m.id)
          FROM messages m WHERE m.id = ${id})`;
}

/** The attempt of a loaded message that a crash left in flight, or null. */
export function inFlightOf(msg: Row): InFlightAttempt | null {
  const a = msg.in_flight as { id: string; attemptNo: number; startedAt: string } | null;
  if (!a) return null;
  return { id: a.id, attemptNo: a.attemptNo, startedAt: new Date(a.startedAt) };
}

/**
 * The send handlers' preload (JobHandlerOptions.preload): the message read with the claim, as
 * {message: ... | null}; NULL when the payload names no well-formed id (the handler then
 * reads it itself and fails as it always did).
 */
export const SEND_PRELOAD = `CASE WHEN j.payload->>'messageId' ~ ${UUID}
  THEN jsonb_build_object('message', ${messageForSend(`(j.payload->>'messageId')::uuid`)}) END`;

/** The message of a preloaded send: undefined when nothing was preloaded, null when it is gone. */
export function preloadedMessage(preloaded: unknown): Row | null | undefined {
  if (preloaded === null || typeof preloaded !== 'object' || !('message' in preloaded))
    return undefined;
  return (preloaded as { message: Row | null }).message;
}

/** The reads and writes of the send path; concurrent sends share one statement each. */
@Injectable()
export class SendStore {
  private readonly loads = new Coalescer((ids: string[]) => this.loadAll(ids));
  private readonly outcomes = new Coalescer((items: SendOutcome[]) => this.recordAll(items));
  private readonly starts = new Coalescer((items: AttemptStart[]) => this.beginAll(items));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  load(messageId: string): Promise<Row | null> {
    return this.loads.submit(messageId);
  }

  /** The attempt row (when sent), the message status and the job's outbox row, atomically. */
  record(outcome: SendOutcome): Promise<void> {
    return this.outcomes.submit(outcome);
  }

  /**
   * Marks a send in flight before its provider call: its attempt, `sending`, committed (one
   * statement for concurrent sends). Answers the attempt's id.
   */
  begin(start: AttemptStart): Promise<string> {
    return this.starts.submit(start);
  }

  /** Ends an attempt whose message is not settled yet (a transient failure the job retries). */
  async endAttempt(end: AttemptEnd): Promise<void> {
    await this.db.query(
      `UPDATE delivery_attempts SET status = $2, error_class = $3, error_code = $4, error = $5, updated_at = now()
       WHERE id = $1`,
      [end.id, end.status, end.errorClass ?? null, end.errorCode ?? null, end.error ?? null],
    );
  }

  /** Of these provider ids, those no attempt of the channel carries yet. */
  async unrecorded(channel: Channel, providerIds: string[]): Promise<string[]> {
    if (providerIds.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT provider_message_id FROM delivery_attempts WHERE channel = $1 AND provider_message_id = ANY($2::text[])`,
      [channel, providerIds],
    )) as Array<{ provider_message_id: string }>;
    const taken = new Set(rows.map((r) => r.provider_message_id));
    return providerIds.filter((id) => !taken.has(id));
  }

  private async beginAll(items: AttemptStart[]): Promise<string[]> {
    const rows = await preparedQuery<{ id: string; message_id: string }>(
      this.db,
      `INSERT INTO delivery_attempts (message_id, attempt_no, channel, address, status)
       SELECT x.message_id, x.attempt_no, x.channel, x.address, 'sending'
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS x(message_id, attempt_no, channel, address)
       RETURNING id, message_id`,
      [
        items.map((i) => i.messageId),
        items.map((i) => i.attemptNo),
        items.map((i) => i.channel),
        items.map((i) => i.address),
      ],
    );
    // A message has one send job, and a job one runner: its id is unique in the batch.
    const byMessage = new Map(rows.map((r) => [r.message_id, r.id]));
    return items.map((i) => byMessage.get(i.messageId)!);
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
