import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: subscriptions (URL, event types, Standard Webhooks secret) and one delivery
 * row per event and subscription, its attempts logged on it. A delivery's id is the
 * `webhook-id` receivers dedupe on; (subscription, dedupe key) is unique so one event is
 * delivered once whoever emits it twice.
 */
export class Webhooks1763911520000 implements MigrationInterface {
  name = 'Webhooks1763911520000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        secret text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        failures_in_row integer NOT NULL DEFAULT 0,
        disabled_reason text,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id text PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        event_type text NOT NULL,
        dedupe_key text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
        attempts integer NOT NULL DEFAULT 0,
        response_status integer,
        response_body text,
        error text,
        log jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        UNIQUE (subscription_id, dedupe_key)
      )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (subscription_id, created_at DESC)`,
    );
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('mention','assignment','sla_warning','sla_breach','follow_up','webhook_disabled'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE kind = 'webhook_disabled'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('mention','assignment','sla_warning','sla_breach','follow_up'))`);
    await q.query(`DROP TABLE IF EXISTS webhook_deliveries`);
    await q.query(`DROP TABLE IF EXISTS webhook_subscriptions`);
  }
}
