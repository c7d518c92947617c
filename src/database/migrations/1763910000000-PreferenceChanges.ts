import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The preference ledger: every change a customer makes to their preference matrix, quiet hours
 * or time zone (on the preference centre, or by staff through the API), with the state before
 * and after and the evidence of the change. Append-only like the consent ledger; erasure blanks
 * the evidence through the same flagged session.
 */
export class PreferenceChanges1763910000000 implements MigrationInterface {
  name = 'PreferenceChanges1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE preference_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        field text NOT NULL CHECK (field IN ('matrix','quietHours','timezone')),
        before jsonb,
        after jsonb,
        source text NOT NULL,
        evidence jsonb,
        actor_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX preference_changes_customer ON preference_changes (customer_id, seq DESC)`,
    );
    await q.query(`
      CREATE FUNCTION preference_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('hub.erasure', true) = 'on' THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the preference ledger is append-only';
      END $$`);
    await q.query(
      `CREATE TRIGGER preference_changes_no_update BEFORE UPDATE ON preference_changes FOR EACH ROW EXECUTE FUNCTION preference_changes_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS preference_changes CASCADE`);
    await q.query(`DROP FUNCTION IF EXISTS preference_changes_append_only()`);
  }
}
