import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import type { Channel, DeliveryStatus } from '../common/names';
import { outboxDoneSql } from '../queue/job-handler.decorator';
import { preparedQuery } from '../common/prepared-query';

type Row = Record<string, unknown>;

/** A send's outcome: the message's new status and, when it was sent, its attempt. */
export interface SendOutcome {
  messageId: string;
  status: DeliveryStatus;
  providerMessageId: string | null;
  metadata: Record<string, unknown>;
  attempt: {
    attemptNo: number;
    channel: Channel;
    address: string;
    details: Record<string, unknown>;
  } | null;
  /** The outbox row of the send job, marked done by the same statement. */
  jobId: string | null;
}

const UUID = `'^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'`;

/**
 * The message a send job names as JSON, with its latest consent for (channel, purpose) and the
 * attempts so far; `id` is an SQL uuid expression.
 */
function messageForSend(id: string): string {
  return `(SELECT to_jsonb(m) - 'search_text' || jsonb_build_object(
            'consent_status', (SELECT status FROM consents c WHERE c.customer_id = m.customer_id AND c.channel = m.channel
                                 AND c.purpose = m.purpose ORDER BY seq DESC LIMIT 1),
            'attempts_so_far', (SELECT count(*) FROM delivery_attempts a WHERE a.message_id = m.id))
          FROM messages m WHERE m.id = ${id})`;
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

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  load(messageId: string): Promise<Row | null> {
    return this.loads.submit(messageId);
  }

  /** The attempt row (when sent), the message status and the job's outbox row, atomically. */
  record(outcome: SendOutcome): Promise<void> {
    return this.outcomes.submit(outcome);
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
            attempt AS (INSERT INTO delivery_attempts (message_id, attempt_no, channel, address, status, provider_message_id, details)
                        SELECT o.message_id, (o.attempt->>'attemptNo')::int, o.attempt->>'channel', o.attempt->>'address',
                               o.status, o.provider_message_id, o.attempt->'details'
                        FROM o WHERE jsonb_typeof(o.attempt) = 'object'),
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
      ],
    );
    return items.map(() => undefined);
  }
}
