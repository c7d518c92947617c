import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'queued','sent','delivered','read','failed','undelivered','suppressed','unknown'`;

/**
 * Digests: a customer's low-urgency messages within a window wait in one open digest (at most
 * one per customer) and go as one message when it is due. A gathered message is stored with
 * status 'digested' and its digest_id; the digest, once closed and sent, names its message.
 * status: open (gathering), closed (being flushed: nothing joins it any more), sent (its
 * message is queued), dropped (nothing left to send: every item's consent revoked, no route).
 */
export class Digests1763910300000 implements MigrationInterface {
  name = 'Digests1763910300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE digests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'sent', 'dropped')),
      due_at timestamptz NOT NULL,
      message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
      reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(
      `CREATE UNIQUE INDEX digests_one_open_per_customer ON digests (customer_id) WHERE status = 'open'`,
    );
    await q.query(
      `ALTER TABLE messages ADD COLUMN digest_id uuid REFERENCES digests(id) ON DELETE SET NULL`,
    );
    await q.query(
      `CREATE INDEX messages_digest_items ON messages (digest_id) WHERE digest_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_status_check`);
    await q.query(
      `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN (${BEFORE},'digested'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE messages SET status = 'suppressed' WHERE status = 'digested'`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_status_check`);
    await q.query(
      `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN (${BEFORE}))`,
    );
    await q.query(`ALTER TABLE messages DROP COLUMN IF EXISTS digest_id`);
    await q.query(`DROP TABLE IF EXISTS digests`);
  }
}
