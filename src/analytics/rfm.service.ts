import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { CHURN_SQL, TIER_SQL } from './rfm';

/**
 * RFM scores from conversions of the last 365 days (quintiles among buyers; non-buyers score 1),
 * tiers, and the churn-risk flag from inbound contact frequency (last 30 days against the
 * monthly average of the 6 months before). One statement; on demand and on a schedule.
 */
@Injectable()
export class RfmService implements OnApplicationBootstrap {
  private readonly log = new Logger('Rfm');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: JobQueueService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsWorker && this.config.env.RFM_RECOMPUTE_HOURS > 0)
      await this.scheduleNext();
  }

  /** One job per period: the dedupe key names the slot, so every instance stages the same one. */
  private async scheduleNext(): Promise<void> {
    const periodMs = this.config.env.RFM_RECOMPUTE_HOURS * 3_600_000;
    const slot = Math.floor(Date.now() / periodMs) + 1;
    await this.queue.enqueue({
      queue: QUEUES.maintenance.name,
      name: 'rfm-recompute',
      payload: { slot },
      dedupeKey: `rfm:${slot}`,
      runAt: new Date(slot * periodMs),
      maxAttempts: 3,
    });
  }

  @JobHandler('maintenance', 'rfm-recompute')
  async scheduled(): Promise<void> {
    const n = await this.recompute();
    this.log.log(`RFM recomputed for ${n} customer(s)`);
    await this.scheduleNext();
  }

  async recompute(): Promise<number> {
    const res = (await this.db.query(`
      WITH base AS (
        SELECT c.id AS customer_id, v.last_at, COALESCE(v.freq, 0) AS freq, COALESCE(v.mon, 0) AS mon,
               COALESCE(i.recent, 0) AS recent, COALESCE(i.before, 0) / 6.0 AS baseline
        FROM customers c
        LEFT JOIN (SELECT customer_id, max(occurred_at) AS last_at, count(*) AS freq, sum(amount) AS mon FROM conversions
                   WHERE occurred_at > now() - interval '365 days' GROUP BY customer_id) v ON v.customer_id = c.id
        LEFT JOIN (SELECT customer_id, count(*) FILTER (WHERE created_at > now() - interval '30 days') AS recent,
                          count(*) FILTER (WHERE created_at <= now() - interval '30 days') AS before
                   FROM messages WHERE direction = 'inbound' AND kind = 'message' AND created_at > now() - interval '210 days'
                   GROUP BY customer_id) i ON i.customer_id = c.id
        WHERE c.erased_at IS NULL AND c.merged_into_id IS NULL
      ), buyers AS (
        SELECT customer_id, ntile(5) OVER (ORDER BY last_at) AS r, ntile(5) OVER (ORDER BY freq) AS f, ntile(5) OVER (ORDER BY mon) AS m
        FROM base WHERE freq > 0
      ), s AS (
        SELECT b.*, COALESCE(y.r, 1) AS r, COALESCE(y.f, 1) AS f, COALESCE(y.m, 1) AS m FROM base b LEFT JOIN buyers y USING (customer_id)
      )
      , upserted AS (
      INSERT INTO rfm_scores (customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, tier, churn_risk, contacts_recent, contacts_baseline, computed_at)
      SELECT s.customer_id, CASE WHEN s.last_at IS NULL THEN NULL ELSE floor(extract(epoch FROM now() - s.last_at) / 86400)::int END,
             s.freq, s.mon, s.r, s.f, s.m, ${TIER_SQL}, ${CHURN_SQL}, s.recent, s.baseline, now()
      FROM s
      ON CONFLICT (customer_id) DO UPDATE SET recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency, monetary = EXCLUDED.monetary,
        r_score = EXCLUDED.r_score, f_score = EXCLUDED.f_score, m_score = EXCLUDED.m_score, tier = EXCLUDED.tier, churn_risk = EXCLUDED.churn_risk,
        contacts_recent = EXCLUDED.contacts_recent, contacts_baseline = EXCLUDED.contacts_baseline, computed_at = EXCLUDED.computed_at
      RETURNING 1
      ) SELECT count(*)::int AS n FROM upserted`)) as Array<{ n: number }>;
    return res[0]?.n ?? 0;
  }

  async forCustomer(customerId: string) {
    const rows = (await this.db.query(`SELECT * FROM rfm_scores WHERE customer_id = $1`, [
      customerId,
    ])) as Array<Record<string, unknown>>;
    const r = rows[0];
    if (!r) throw notFound('RFM score of customer', customerId);
    return {
      customerId,
      recencyDays: r.recency_days as number | null,
      frequency: r.frequency as number,
      monetary: Number(r.monetary),
      scores: { r: r.r_score as number, f: r.f_score as number, m: r.m_score as number },
      tier: r.tier as string,
      churnRisk: r.churn_risk as boolean,
      contacts: {
        last30Days: r.contacts_recent as number,
        baselinePerMonth: Number(r.contacts_baseline),
      },
      computedAt: new Date(r.computed_at as string).toISOString(),
    };
  }

  async tiers() {
    const rows = (await this.db.query(
      `SELECT tier, count(*)::int AS customers, count(*) FILTER (WHERE churn_risk)::int AS churn_risk FROM rfm_scores GROUP BY tier ORDER BY tier`,
    )) as Array<{ tier: string; customers: number; churn_risk: number }>;
    return {
      tiers: rows.map((r) => ({ tier: r.tier, customers: r.customers, churnRisk: r.churn_risk })),
    };
  }
}
