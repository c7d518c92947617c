import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectReadDataSource, type ReadDataSource } from '../database/read-data-source';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** tierOf in rfm.ts, over the scores of the recompute statement's `s`. */
const TIER_SQL = `CASE WHEN s.r >= 4 AND (s.f >= 4 OR s.m >= 4) THEN 'core' WHEN s.r >= 3 THEN 'potential' WHEN s.f >= 3 OR s.m >= 3 THEN 'regular' ELSE 'edge' END`;
/** churnRisk in rfm.ts, over the contact counts of the recompute statement's `s`. */
const CHURN_SQL = `(s.baseline >= 1 AND s.recent <= s.baseline * 0.25)`;

export interface RfmScoreRecord {
  customerId: string;
  recencyDays: number | null;
  frequency: number;
  monetary: number;
  rScore: number;
  fScore: number;
  mScore: number;
  tier: string;
  churnRisk: boolean;
  contactsRecent: number;
  contactsBaseline: number;
  computedAt: Date;
}

export interface TierCount {
  tier: string;
  customers: number;
  churnRisk: number;
}

/**
 * The rfm_scores table: recomputed in one statement, read per customer and per tier (the tier
 * report on the read replica, when there is one).
 */
@Injectable()
export class RfmRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectReadDataSource() private readonly read: ReadDataSource,
  ) {}

  /**
   * Scores every live customer from conversions of the last 365 days (quintiles among buyers;
   * non-buyers score 1), with tier and churn risk from inbound contacts (last 30 days against the
   * monthly average of the 6 months before). One statement; answers how many were upserted.
   */
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
      ) SELECT count(*)::int AS n FROM upserted`)) as Row[];
    return res[0] ? Number(res[0].n) : 0;
  }

  async forCustomer(customerId: string): Promise<RfmScoreRecord | null> {
    const rows = (await this.db.query(`SELECT * FROM rfm_scores WHERE customer_id = $1`, [
      customerId,
    ])) as Row[];
    return rows[0] ? rfmScore(rows[0]) : null;
  }

  /** Customers and churn risks per tier, tiers in name order. */
  async tierCounts(): Promise<TierCount[]> {
    const rows = (await this.read.query(
      `SELECT tier, count(*)::int AS customers, count(*) FILTER (WHERE churn_risk)::int AS churn_risk FROM rfm_scores GROUP BY tier ORDER BY tier`,
    )) as Row[];
    return rows.map(tierCount);
  }
}

function rfmScore(r: Row): RfmScoreRecord {
  return {
    customerId: r.customer_id as string,
    recencyDays: r.recency_days as number | null,
    frequency: r.frequency as number,
    monetary: Number(r.monetary),
    rScore: r.r_score as number,
    fScore: r.f_score as number,
    mScore: r.m_score as number,
    tier: r.tier as string,
    churnRisk: r.churn_risk as boolean,
    contactsRecent: r.contacts_recent as number,
    contactsBaseline: Number(r.contacts_baseline),
    computedAt: new Date(r.computed_at as string),
  };
}

function tierCount(r: Row): TierCount {
  return {
    tier: r.tier as string,
    customers: r.customers as number,
    churnRisk: r.churn_risk as number,
  };
}
