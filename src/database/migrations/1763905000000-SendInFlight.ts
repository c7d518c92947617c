import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'queued','sent','delivered','read','failed','undelivered','suppressed'`;

/**
 * A send is marked in flight before its provider call: its attempt is written `sending` first
 * and completed after. A crash between the two leaves the `sending` attempt behind, which the
 * re-driven job resolves with the provider, or marks `unknown` (the message too, when it is not
 * sent again).
 */
export class SendInFlight1763905000000 implements MigrationInterface {
  name = 'SendInFlight1763905000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_status_check`);
    await q.query(
      `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN (${BEFORE},'unknown'))`,
    );
    await q.query(
      `ALTER TABLE delivery_attempts DROP CONSTRAINT IF EXISTS delivery_attempts_status_check`,
    );
    await q.query(
      `ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_status_check CHECK (status IN (${BEFORE},'unknown','sending'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE delivery_attempts SET status = 'failed' WHERE status IN ('sending','unknown')`,
    );
    await q.query(`UPDATE messages SET status = 'failed' WHERE status = 'unknown'`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_status_check`);
    await q.query(
      `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN (${BEFORE}))`,
    );
    await q.query(
      `ALTER TABLE delivery_attempts DROP CONSTRAINT IF EXISTS delivery_attempts_status_check`,
    );
    await q.query(
      `ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_status_check CHECK (status IN (${BEFORE}))`,
    );
  }
}
