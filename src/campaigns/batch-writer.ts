import type { EntityManager } from 'typeorm';
import { deliveryQueueOf } from '../queue/send-rates';
import type { CampaignRow } from './campaign-types';
import { CHUNK_JOB, type ChunkKind } from './chunk-job';
import type { BatchPlan } from './recipient-planner';

export interface StagedJob {
  id: string;
  queue: string;
  runAt: Date;
  maxAttempts: number;
}

export interface WrittenBatch {
  jobs: StagedJob[];
  sent: number;
  suppressed: number;
}

const SEND: ChunkKind = 'send';
const FALLBACK: ChunkKind = 'fallback-check';

/**
 * Writes part of a batch in the caller's transaction, as one statement with no input from an
 * earlier one (so the parts of a batch can be sent one after another without waiting):
 * recipients first (ON CONFLICT DO NOTHING on (campaign, customer): a re-run batch finds them
 * there and sends nothing again), then the messages of the recipients that are new, their short
 * links, and the chunk jobs that carry their sends and first fallback checks (one outbox row per
 * delivery queue and due time; see chunk-job.ts). The rows travel as one JSON document each.
 */
export async function writeBatch(
  m: EntityManager,
  campaign: CampaignRow,
  plan: BatchPlan,
): Promise<WrittenBatch> {
  if (plan.sends.length === 0 && plan.suppressed.length === 0)
    return { jobs: [], sent: 0, suppressed: 0 };
  const recipients: unknown[] = [];
  const sends: unknown[] = [];
  const links: unknown[] = [];
  for (const s of plan.sends) {
    recipients.push({
      customer_id: s.customerId,
      status: 'sent',
      channel: s.channel,
      variant: s.variant,
      message_id: s.messageId,
    });
    sends.push({
      id: s.messageId,
      customer_id: s.customerId,
      channel: s.channel,
      queue: deliveryQueueOf(s.channel),
      text: s.text,
      html: s.html,
      subject: s.subject,
      address: s.address,
      template: s.template,
      route: s.route,
      metadata: s.metadata,
      send_at: s.sendAt,
      fallback_at: s.fallbackAt,
    });
    for (const l of s.shortLinks)
      links.push({ code: l.code, url: l.url, customer_id: s.customerId, channel: s.channel });
  }
  for (const s of plan.suppressed)
    recipients.push({
      customer_id: s.customerId,
      status: 'suppressed',
      suppression: s.suppression,
      variant: s.variant,
      reasons: s.reasons,
    });
  const rows = (await m.query(
    `WITH rec AS (
       INSERT INTO campaign_recipients (campaign_id, customer_id, status, suppression, channel, variant, message_id, reasons)
       SELECT $1, u.customer_id, u.status, u.suppression, u.channel, u.variant, u.message_id, u.reasons
       FROM json_to_recordset($2::json)
         AS u(customer_id uuid, status text, suppression text, channel text, variant text, message_id uuid, reasons jsonb)
       ON CONFLICT (campaign_id, customer_id) DO NOTHING
       RETURNING customer_id, status),
     fresh AS (
       SELECT u.* FROM json_to_recordset($3::json)
         AS u(id uuid, customer_id uuid, channel text, queue text, text text, html text, subject text, address text,
              template text, route jsonb, metadata jsonb, send_at timestamptz, fallback_at timestamptz)
       JOIN rec ON rec.customer_id = u.customer_id),
     msg AS (
       INSERT INTO messages (id, customer_id, direction, kind, channel, status, text, html, subject, address, idempotency_key,
                             purpose, topic, urgency, template, route, metadata, send_at)
       SELECT f.id, f.customer_id, 'outbound', 'message', f.channel, 'queued', f.text, f.html, f.subject, f.address,
              'campaign:' || $1 || ':' || f.customer_id, $5, $6, $7, f.template, f.route, f.metadata, f.send_at
       FROM fresh f
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id),
     live AS (SELECT f.* FROM fresh f JOIN msg ON msg.id = f.id),
     links AS (
       INSERT INTO short_links (code, url, campaign_id, customer_id, channel)
       SELECT l.code, l.url, $1, l.customer_id, l.channel
       FROM json_to_recordset($4::json) AS l(code text, url text, customer_id uuid, channel text)
       WHERE l.customer_id IN (SELECT customer_id FROM live)
       ON CONFLICT (code) DO NOTHING),
     chunks AS (
       INSERT INTO outbox_jobs (queue, name, payload, run_at, max_attempts)
       SELECT queue, $8, jsonb_build_object('kind', $9::text, 'messageIds', jsonb_agg(id ORDER BY id)), COALESCE(send_at, now()), $11::int
       FROM live GROUP BY queue, send_at
       UNION ALL
       SELECT $12, $8, jsonb_build_object('kind', $10::text, 'messageIds', jsonb_agg(id ORDER BY id)), fallback_at, $11::int
       FROM live WHERE fallback_at IS NOT NULL GROUP BY fallback_at
       RETURNING id, queue, run_at, max_attempts)
     SELECT (SELECT count(*) FROM live)::int AS sent,
            (SELECT count(*) FROM rec WHERE status = 'suppressed')::int AS suppressed,
            (SELECT json_agg(json_build_array(id, queue, run_at, max_attempts)) FROM chunks) AS jobs`,
    [
      campaign.id,
      JSON.stringify(recipients),
      JSON.stringify(sends),
      JSON.stringify(links),
      campaign.purpose,
      campaign.topic,
      campaign.urgency,
      CHUNK_JOB.name,
      SEND,
      FALLBACK,
      CHUNK_JOB.maxAttempts,
      CHUNK_JOB.fallbackQueue,
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
