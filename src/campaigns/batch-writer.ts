import type { EntityManager } from 'typeorm';
import { SEND_MAX_ATTEMPTS } from '../delivery/delivery.service';
import { FALLBACK_JOB, fallbackDedupeKey } from '../delivery/fallback-job';
import { deliveryQueueOf } from '../queue/send-rates';
import type { CampaignRow } from './campaign-types';
import type { BatchPlan } from './recipient-planner';

export interface StagedJob {
  id: string;
  queue: string;
  runAt: Date;
  maxAttempts: number;
}

/**
 * Writes one batch in the caller's transaction, a few multi-row statements in all: recipients
 * first (ON CONFLICT DO NOTHING on (campaign, customer): a re-run batch finds them there and
 * sends nothing again), then messages, delivery jobs (on each channel's delivery queue, as
 * DeliveryService.stageSend does), the first fallback checks (dedupe key fallback:<id>:0, as
 * FallbackService.arm) and short links for the recipients that are new.
 */
export async function writeBatch(
  m: EntityManager,
  campaign: CampaignRow,
  plan: BatchPlan,
): Promise<{ jobs: StagedJob[]; sent: number; suppressed: number }> {
  const all = [...plan.sends.map((s) => s.customerId), ...plan.suppressed.map((s) => s.customerId)];
  if (all.length === 0) return { jobs: [], sent: 0, suppressed: 0 };
  const inserted = (await m.query(
    `INSERT INTO campaign_recipients (campaign_id, customer_id, status, suppression, channel, variant, message_id, reasons)
     SELECT $1, u.customer_id, u.status, u.suppression, u.channel, u.variant, u.message_id, u.reasons
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::jsonb[])
       AS u(customer_id, status, suppression, channel, variant, message_id, reasons)
     ON CONFLICT (campaign_id, customer_id) DO NOTHING
     RETURNING customer_id`,
    [
      campaign.id,
      all,
      [...plan.sends.map(() => 'sent'), ...plan.suppressed.map(() => 'suppressed')],
      [...plan.sends.map(() => null), ...plan.suppressed.map((s) => s.suppression)],
      [...plan.sends.map((s) => s.channel), ...plan.suppressed.map(() => null)],
      [...plan.sends.map((s) => s.variant), ...plan.suppressed.map((s) => s.variant)],
      [...plan.sends.map((s) => s.messageId), ...plan.suppressed.map(() => null)],
      [...plan.sends.map(() => null), ...plan.suppressed.map((s) => s.reasons)],
    ],
  )) as Array<{ customer_id: string }>;
  const fresh = new Set(inserted.map((r) => r.customer_id));
  const sends = plan.sends.filter((s) => fresh.has(s.customerId));
  const suppressed = plan.suppressed.filter((s) => fresh.has(s.customerId)).length;
  if (sends.length === 0) return { jobs: [], sent: 0, suppressed };

  const created = (await m.query(
    `INSERT INTO messages (id, customer_id, direction, kind, channel, status, text, html, subject, address, idempotency_key,
                           purpose, topic, urgency, template, route, metadata, send_at)
     SELECT u.id, u.customer_id, 'outbound', 'message', u.channel, 'queued', u.text, u.html, u.subject, u.address,
            'campaign:' || $1 || ':' || u.customer_id, $2, $3, $4, u.template, u.route, u.metadata, u.send_at
     FROM unnest($5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::jsonb[], $15::timestamptz[])
       AS u(id, customer_id, channel, text, html, subject, address, template, route, metadata, send_at)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      campaign.id,
      campaign.purpose,
      campaign.topic,
      campaign.urgency,
      sends.map((s) => s.messageId),
      sends.map((s) => s.customerId),
      sends.map((s) => s.channel),
      sends.map((s) => s.text),
      sends.map((s) => s.html),
      sends.map((s) => s.subject),
      sends.map((s) => s.address),
      sends.map((s) => s.template),
      sends.map((s) => s.route),
      sends.map((s) => s.metadata),
      sends.map((s) => s.sendAt),
    ],
  )) as Array<{ id: string }>;
  const createdIds = new Set(created.map((r) => r.id));
  const live = sends.filter((s) => createdIds.has(s.messageId));

  const jobs = (await m.query(
    `INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, run_at, max_attempts)
     SELECT u.queue, 'send', jsonb_build_object('messageId', u.id), 'send:' || u.id, COALESCE(u.run_at, now()), $5::int
     FROM unnest($1::uuid[], $2::timestamptz[], $6::text[]) AS u(id, run_at, queue)
     UNION ALL
     SELECT $7, $8, jsonb_build_object('messageId', f.id, 'step', 0), f.dedupe_key, f.run_at, $9::int
     FROM unnest($3::uuid[], $4::timestamptz[], $10::text[]) AS f(id, run_at, dedupe_key)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id, queue, run_at, max_attempts`,
    [
      live.map((s) => s.messageId),
      live.map((s) => s.sendAt),
      live.filter((s) => s.fallbackAt !== null).map((s) => s.messageId),
      live.filter((s) => s.fallbackAt !== null).map((s) => s.fallbackAt),
      SEND_MAX_ATTEMPTS,
      live.map((s) => deliveryQueueOf(s.channel)),
      FALLBACK_JOB.queue,
      FALLBACK_JOB.name,
      FALLBACK_JOB.maxAttempts,
      live.filter((s) => s.fallbackAt !== null).map((s) => fallbackDedupeKey(s.messageId, 0)),
    ],
  )) as Array<{ id: string; queue: string; run_at: Date; max_attempts: number }>;

  const links = live.flatMap((s) =>
    s.shortLinks.map((l) => ({ ...l, customerId: s.customerId, channel: s.channel })),
  );
  if (links.length > 0) {
    await m.query(
      `INSERT INTO short_links (code, url, campaign_id, customer_id, channel)
       SELECT u.code, u.url, $1, u.customer_id, u.channel FROM unnest($2::text[], $3::text[], $4::uuid[], $5::text[]) AS u(code, url, customer_id, channel)
       ON CONFLICT (code) DO NOTHING`,
      [
        campaign.id,
        links.map((l) => l.code),
        links.map((l) => l.url),
        links.map((l) => l.customerId),
        links.map((l) => l.channel),
      ],
    );
  }
  return {
    jobs: jobs.map((j) => ({
      id: j.id,
      queue: j.queue,
      runAt: new Date(j.run_at),
      maxAttempts: j.max_attempts,
    })),
    sent: live.length,
    suppressed,
  };
}
