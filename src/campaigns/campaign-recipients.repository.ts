import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { CHANNELS } from '../common/names';
import type { Tx } from '../database/transactions';
import type { StagedJob } from '../queue/outbox.repository';
import { textArray, timestamptzArray, uuidArray } from '../common/pg-binary-array';
import { deliveryQueueOf } from '../queue/send-rates';
import { DIGEST_JOB } from '../messages/digest-job';
import type { CampaignRow } from './campaign-types';
import { CHUNK_JOB, type ChunkKind } from './chunk-job';
import type { PlannedSend } from './recipient-plan';
import type { BatchPlan } from './recipient-planner';

/**
 * What writing part of a batch did: the chunk jobs and digest flush jobs it staged (to dispatch
 * after commit), its counts (`digested`: those of `sent` gathered into a digest).
 */
export interface WrittenBatch {
  jobs: StagedJob[];
  sent: number;
  digested: number;
  suppressed: number;
  /** The latest send time of the sends it held for later (quiet hours); null when none. */
  heldUntil: Date | null;
}

const SEND: ChunkKind = 'send';
const FALLBACK: ChunkKind = 'fallback-check';
/** Each channel's delivery queue, for the statement to look up. */
const QUEUE_OF = JSON.stringify(Object.fromEntries(CHANNELS.map((c) => [c, deliveryQueueOf(c)])));

/** The planned sends, one binary array per column (route and metadata as JSON text). */
const SEND_COLUMNS: Array<[name: string, type: string, column: (s: PlannedSend[]) => Buffer]> = [
  ['messageId', 'uuid', (s) => uuidArray(s.map((x) => x.messageId))],
  ['customerId', 'uuid', (s) => uuidArray(s.map((x) => x.customerId))],
  ['channel', 'text', (s) => textArray(s.map((x) => x.channel))],
  ['address', 'text', (s) => textArray(s.map((x) => x.address))],
  ['text', 'text', (s) => textArray(s.map((x) => x.text))],
  ['html', 'text', (s) => textArray(s.map((x) => x.html))],
  ['subject', 'text', (s) => textArray(s.map((x) => x.subject))],
  ['template', 'text', (s) => textArray(s.map((x) => x.template))],
  ['variant', 'text', (s) => textArray(s.map((x) => x.variant))],
  ['route', 'text', (s) => textArray(s.map((x) => JSON.stringify(x.route)))],
  ['metadata', 'text', (s) => textArray(s.map((x) => JSON.stringify(x.metadata)))],
  ['sendAt', 'timestamptz', (s) => timestamptzArray(s.map((x) => x.sendAt))],
  ['fallbackAt', 'timestamptz', (s) => timestamptzArray(s.map((x) => x.fallbackAt))],
  ['digestDue', 'timestamptz', (s) => timestamptzArray(s.map((x) => x.digestDue))],
];
/** Parameters before the send columns. */
const FIXED_PARAMS = 15;
/** A timestamptz as JavaScript's toISOString writes it (what a single send stores). */
const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const SENDS_SQL = `unnest(${SEND_COLUMNS.map(([, type], i) => `$${FIXED_PARAMS + 1 + i}::${type}[]`).join(', ')})
         AS u(${SEND_COLUMNS.map(([name]) => `"${name}"`).join(', ')})`;

/** A campaign's recipients, written batch by batch with their messages, short links and chunk jobs. */
@Injectable()
export class CampaignRecipientsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A transaction on a connection of its own, besides the batch's, for writing parts of the
   * batch (its `manager` is the `tx` of writeBatch); the caller commits or rolls it back and
   * releases it.
   */
  async openSide(): Promise<QueryRunner> {
    const qr = this.db.createQueryRunner();
    try {
      await qr.connect();
      await qr.startTransaction();
      return qr;
    } catch (e) {
      await qr.release();
      throw e;
    }
  }

  /**
   * Writes part of a batch in the caller's transaction, as one statement with no input from an
   * earlier one (so the parts of a batch can be sent one after another without waiting):
   * recipients first (ON CONFLICT DO NOTHING on (campaign, customer): a re-run batch finds them
   * there and sends nothing again), then the messages of the recipients that are new, their
   * short links, and the chunk jobs that carry their sends and first fallback checks (one outbox
   * row per delivery queue and due time; see chunk-job.ts). A send gathered into a digest
   * (digestDue set) has no send or fallback of its own: it is held ('digested') in the
   * customer's open digest, opened here due at digestDue when they have none, with its flush
   * job, as DigestGatherer does for a single send. The planned sends travel as binary
   * arrays, one per column (see pg-binary-array.ts); suppressions and short links, small, as
   * JSON documents.
   */
  async writeBatch(tx: Tx, campaign: CampaignRow, plan: BatchPlan): Promise<WrittenBatch> {
    if (plan.sends.length === 0 && plan.suppressed.length === 0)
      return { jobs: [], sent: 0, digested: 0, suppressed: 0, heldUntil: null };
    const links: unknown[] = [];
    for (const s of plan.sends)
      for (const l of s.shortLinks)
        links.push({ code: l.code, url: l.url, customerId: s.customerId, channel: s.channel });
    // JSON values are read as text and cast to jsonb: json_to_recordset's own jsonb columns cost
    // three to four times as much.
    const rows = (await tx.query(
      `WITH s AS MATERIALIZED (
         SELECT * FROM ${SENDS_SQL}),
       rec AS (
         INSERT INTO campaign_recipients (campaign_id, customer_id, status, suppression, channel, variant, message_id, reasons)
         SELECT $1::uuid, s."customerId", 'sent', NULL, s.channel, s.variant, s."messageId", NULL FROM s
         UNION ALL
         SELECT $1::uuid, u."customerId", 'suppressed', u.suppression, NULL, u.variant, NULL, u.reasons::jsonb
         FROM json_to_recordset($2::json) AS u("customerId" uuid, suppression text, variant text, reasons text)
         ON CONFLICT (campaign_id, customer_id) DO NOTHING
         RETURNING customer_id, status),
       fresh AS (SELECT s.* FROM s JOIN rec ON rec.customer_id = s."customerId"),
       dig AS (
         INSERT INTO digests (customer_id, due_at)
         SELECT f."customerId", f."digestDue" FROM fresh f WHERE f."digestDue" IS NOT NULL
         ON CONFLICT (customer_id) WHERE status = 'open' DO UPDATE SET updated_at = now()
         RETURNING id, customer_id, due_at, (xmax = 0) AS opened),
       msg AS (
         INSERT INTO messages (id, customer_id, direction, kind, channel, status, text, html, subject, address, idempotency_key,
                               purpose, topic, urgency, template, route, metadata, send_at, digest_id)
         SELECT f."messageId", f."customerId", 'outbound', 'message', f.channel,
                CASE WHEN d.id IS NULL THEN 'queued' ELSE 'digested' END, f.text, f.html, f.subject, f.address,
                'campaign:' || $1 || ':' || f."customerId", $4, $5, $6, f.template,
                CASE WHEN d.id IS NULL THEN f.route::jsonb
                     ELSE f.route::jsonb || jsonb_build_object('sendAt', ${ISO('d.due_at')}) END,
                CASE WHEN d.id IS NULL THEN f.metadata::jsonb
                     ELSE f.metadata::jsonb || jsonb_build_object('digest', jsonb_build_object('id', d.id, 'dueAt', ${ISO('d.due_at')})) END,
                coalesce(d.due_at, f."sendAt"), d.id
         FROM fresh f LEFT JOIN dig d ON d.customer_id = f."customerId"
         RETURNING id, digest_id),
       flush AS (
         INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, run_at, max_attempts)
         SELECT $13, $14, jsonb_build_object('digestId', d.id), 'digest:' || d.id, d.due_at, $15::int
         FROM dig d WHERE d.opened
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id, queue, run_at, max_attempts),
       live AS (SELECT f.*, msg.digest_id IS NOT NULL AS gathered FROM fresh f JOIN msg ON msg.id = f."messageId"),
       links AS (
         INSERT INTO short_links (code, url, campaign_id, customer_id, channel)
         SELECT l.code, l.url, $1, l."customerId", l.channel
         FROM json_to_recordset($3::json) AS l(code text, url text, "customerId" uuid, channel text)
         WHERE l."customerId" IN (SELECT "customerId" FROM live)
         ON CONFLICT (code) DO NOTHING),
       chunks AS (
         INSERT INTO outbox_jobs (queue, name, payload, run_at, max_attempts)
         SELECT $12::jsonb ->> channel, $7, jsonb_build_object('kind', $8::text, 'messageIds', jsonb_agg("messageId" ORDER BY "messageId")),
                COALESCE("sendAt", now()), $10::int
         FROM live WHERE NOT gathered GROUP BY channel, "sendAt"
         UNION ALL
         SELECT $11, $7, jsonb_build_object('kind', $9::text, 'messageIds', jsonb_agg("messageId" ORDER BY "messageId")), "fallbackAt", $10::int
         FROM live WHERE "fallbackAt" IS NOT NULL AND NOT gathered GROUP BY "fallbackAt"
         RETURNING id, queue, run_at, max_attempts)
       SELECT (SELECT count(*) FROM live)::int AS sent,
              (SELECT count(*) FROM live WHERE gathered)::int AS digested,
              (SELECT count(*) FROM rec WHERE status = 'suppressed')::int AS suppressed,
              (SELECT max("sendAt") FROM live WHERE NOT gathered) AS held_until,
              (SELECT json_agg(json_build_array(id, queue, run_at, max_attempts))
               FROM (SELECT * FROM chunks UNION ALL SELECT * FROM flush) j) AS jobs`,
      [
        campaign.id,
        JSON.stringify(plan.suppressed),
        JSON.stringify(links),
        campaign.purpose,
        campaign.topic,
        campaign.urgency,
        CHUNK_JOB.name,
        SEND,
        FALLBACK,
        CHUNK_JOB.maxAttempts,
        CHUNK_JOB.fallbackQueue,
        QUEUE_OF,
        DIGEST_JOB.queue,
        DIGEST_JOB.name,
        DIGEST_JOB.maxAttempts,
        ...SEND_COLUMNS.map(([, , column]) => column(plan.sends)),
      ],
    )) as Array<{
      sent: number;
      digested: number;
      suppressed: number;
      held_until: Date | string | null;
      jobs: Array<[string, string, string, number]> | null;
    }>;
    const r = rows[0];
    return {
      jobs: (r.jobs ?? []).map(([id, queue, runAt, maxAttempts]) => ({
        id,
        queue,
        runAt: new Date(runAt),
        maxAttempts,
      })),
      sent: r.sent,
      digested: r.digested,
      suppressed: r.suppressed,
      heldUntil: r.held_until === null ? null : new Date(r.held_until),
    };
  }
}
