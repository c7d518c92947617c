import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { CHANNELS } from '../common/names';
import type { Tx } from '../database/transactions';
import type { StagedJob } from '../queue/outbox.repository';
import { textArray, timestamptzArray, uuidArray } from '../common/pg-binary-array';
import { deliveryQueueOf } from '../queue/send-rates';
import type { CampaignRow } from './campaign-types';
import { CHUNK_JOB, type ChunkKind } from './chunk-job';
import type { PlannedSend } from './recipient-plan';
import type { BatchPlan } from './recipient-planner';

/** What writing part of a batch did: the chunk jobs it staged (to dispatch after commit), its counts. */
export interface WrittenBatch {
  jobs: StagedJob[];
  sent: number;
  suppressed: number;
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
];
/** Parameters before the send columns. */
const FIXED_PARAMS = 12;
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
   * row per delivery queue and due time; see chunk-job.ts). The planned sends travel as binary
   * arrays, one per column (see pg-binary-array.ts); suppressions and short links, small, as
   * JSON documents.
   */
  async writeBatch(tx: Tx, campaign: CampaignRow, plan: BatchPlan): Promise<WrittenBatch> {
    if (plan.sends.length === 0 && plan.suppressed.length === 0)
      return { jobs: [], sent: 0, suppressed: 0 };
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
       msg AS (
         INSERT INTO messages (id, customer_id, direction, kind, channel, status, text, html, subject, address, idempotency_key,
                               purpose, topic, urgency, template, route, metadata, send_at)
         SELECT f."messageId", f."customerId", 'outbound', 'message', f.channel, 'queued', f.text, f.html, f.subject, f.address,
                'campaign:' || $1 || ':' || f."customerId", $4, $5, $6, f.template, f.route::jsonb, f.metadata::jsonb, f."sendAt"
         FROM fresh f
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id),
       live AS (SELECT f.* FROM fresh f JOIN msg ON msg.id = f."messageId"),
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
         FROM live GROUP BY channel, "sendAt"
         UNION ALL
         SELECT $11, $7, jsonb_build_object('kind', $9::text, 'messageIds', jsonb_agg("messageId" ORDER BY "messageId")), "fallbackAt", $10::int
         FROM live WHERE "fallbackAt" IS NOT NULL GROUP BY "fallbackAt"
         RETURNING id, queue, run_at, max_attempts)
       SELECT (SELECT count(*) FROM live)::int AS sent,
              (SELECT count(*) FROM rec WHERE status = 'suppressed')::int AS suppressed,
              (SELECT json_agg(json_build_array(id, queue, run_at, max_attempts)) FROM chunks) AS jobs`,
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
        ...SEND_COLUMNS.map(([, , column]) => column(plan.sends)),
      ],
    )) as Array<{
      sent: number;
      suppressed: number;
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
      suppressed: r.suppressed,
    };
  }
}
