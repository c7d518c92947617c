import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Campaigns and their recipients (one row per campaign and customer), tracking, conversions, RFM scores. */
export class Campaigns1763900500000 implements MigrationInterface {
  name = 'Campaigns1763900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        segment jsonb NOT NULL DEFAULT '{}',
        topic text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('transactional','service','marketing')),
        urgency text NOT NULL CHECK (urgency IN ('low','normal','high','critical')),
        template text NOT NULL,
        variants jsonb,
        data jsonb NOT NULL DEFAULT '{}',
        send_at timestamptz,
        rate_per_second integer,
        batch_size integer NOT NULL DEFAULT 500,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','scheduled','running','paused','completed','cancelled')),
        generation integer NOT NULL DEFAULT 0,
        cursor uuid,
        batches_done integer NOT NULL DEFAULT 0,
        recipients_count integer NOT NULL DEFAULT 0,
        sent_count integer NOT NULL DEFAULT 0,
        suppressed_count integer NOT NULL DEFAULT 0,
        created_by uuid,
        launched_at timestamptz,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The idempotency of the fan-out: one row per (campaign, customer), so a re-run batch never sends twice.
    await q.query(`
      CREATE TABLE campaign_recipients (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('sent','suppressed')),
        suppression text CHECK (suppression IN ('noConsent','quietHours','frequencyCap','noChannel')),
        channel text,
        variant text,
        message_id uuid,
        reasons jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT campaign_recipients_once UNIQUE (campaign_id, customer_id)
      )`);
    await q.query(
      `CREATE INDEX campaign_recipients_customer ON campaign_recipients (customer_id, created_at DESC)`,
    );
    await q.query(`
      CREATE TABLE tracking_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        campaign_id uuid REFERENCES campaigns(id) ON DELETE CASCADE,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        channel text,
        kind text NOT NULL CHECK (kind IN ('open','click','unsubscribe')),
        url text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tracking_events_campaign ON tracking_events (campaign_id, kind)`);
    await q.query(
      `CREATE INDEX tracking_events_customer ON tracking_events (customer_id, created_at DESC)`,
    );
    await q.query(`
      CREATE TABLE short_links (
        code text PRIMARY KEY,
        url text NOT NULL,
        campaign_id uuid REFERENCES campaigns(id) ON DELETE CASCADE,
        customer_id uuid REFERENCES customers(id) ON DELETE CASCADE,
        channel text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE conversions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        order_id text NOT NULL UNIQUE,
        amount numeric(14,2) NOT NULL,
        currency text NOT NULL,
        campaign_id uuid REFERENCES campaigns(id) ON DELETE SET NULL,
        channel text,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX conversions_customer ON conversions (customer_id, occurred_at DESC)`,
    );
    await q.query(`CREATE INDEX conversions_campaign ON conversions (campaign_id)`);
    await q.query(`
      CREATE TABLE rfm_scores (
        customer_id uuid PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        recency_days integer,
        frequency integer NOT NULL DEFAULT 0,
        monetary numeric(14,2) NOT NULL DEFAULT 0,
        r_score integer NOT NULL,
        f_score integer NOT NULL,
        m_score integer NOT NULL,
        tier text NOT NULL CHECK (tier IN ('core','potential','regular','edge')),
        churn_risk boolean NOT NULL DEFAULT false,
        contacts_recent integer NOT NULL DEFAULT 0,
        contacts_baseline numeric(10,2) NOT NULL DEFAULT 0,
        computed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'rfm_scores',
      'conversions',
      'short_links',
      'tracking_events',
      'campaign_recipients',
      'campaigns',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
  }
}
