import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Crisis broadcasts and their proof of notice.
 * - campaigns.kind: 'standard' or 'crisis'; a crisis broadcast states the legal basis it relies
 *   on where a recipient gave no consent (legal_basis), and records who confirmed its launch
 *   and when (confirmed_by, confirmed_at).
 * - delivery_attempts receipt times: when each attempt was first seen sent, delivered, read or
 *   failed, stamped by a trigger whatever path writes the status (send job, provider status
 *   callback, e-mail report), so the proof of notice shows every receipt with its time.
 * - messages_fallback_of: a message's fallbacks (metadata.fallbackOf) by index, for the
 *   fallback chain's checks and a broadcast's reach and proof of notice.
 */
export class CrisisBroadcast1763911800000 implements MigrationInterface {
  name = 'CrisisBroadcast1763911800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE campaigns
        ADD COLUMN kind text NOT NULL DEFAULT 'standard'
          CONSTRAINT campaigns_kind_check CHECK (kind IN ('standard', 'crisis')),
        ADD COLUMN legal_basis text,
        ADD COLUMN confirmed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN confirmed_at timestamptz`);
    await q.query(`
      ALTER TABLE delivery_attempts
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN delivered_at timestamptz,
        ADD COLUMN read_at timestamptz,
        ADD COLUMN failed_at timestamptz`);
    await q.query(`
      CREATE FUNCTION delivery_attempts_receipts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'sent' AND NEW.sent_at IS NULL THEN NEW.sent_at := now();
        ELSIF NEW.status = 'delivered' AND NEW.delivered_at IS NULL THEN NEW.delivered_at := now();
        ELSIF NEW.status = 'read' AND NEW.read_at IS NULL THEN NEW.read_at := now();
        ELSIF NEW.status IN ('failed', 'undelivered') AND NEW.failed_at IS NULL THEN NEW.failed_at := now();
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER delivery_attempts_receipts BEFORE INSERT OR UPDATE OF status ON delivery_attempts
        FOR EACH ROW WHEN (NEW.status IN ('sent', 'delivered', 'read', 'failed', 'undelivered'))
        EXECUTE FUNCTION delivery_attempts_receipts()`);
    await q.query(
      `CREATE INDEX messages_fallback_of ON messages ((metadata->>'fallbackOf')) WHERE metadata->>'fallbackOf' IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS messages_fallback_of`);
    await q.query(`DROP TRIGGER IF EXISTS delivery_attempts_receipts ON delivery_attempts`);
    await q.query(`DROP FUNCTION IF EXISTS delivery_attempts_receipts()`);
    await q.query(`
      ALTER TABLE delivery_attempts
        DROP COLUMN failed_at, DROP COLUMN read_at, DROP COLUMN delivered_at, DROP COLUMN sent_at`);
    await q.query(`
      ALTER TABLE campaigns
        DROP COLUMN confirmed_at, DROP COLUMN confirmed_by, DROP COLUMN legal_basis, DROP COLUMN kind`);
  }
}
