import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revocable sessions and a second factor. A user's tokens carry the token_version they were
 * signed under; logout and deactivation bump it, so every token signed before stops working on
 * its next request. The TOTP secret is stored encrypted (totp_secret once enabled, totp_pending
 * between setup and the first code), and totp_last_step refuses a code used once already.
 */
export class UserSessions1763903000000 implements MigrationInterface {
  name = 'UserSessions1763903000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE users ADD COLUMN IF NOT EXISTS active boolean NOT NULL DEFAULT true`,
    );
    await q.query(`
      ALTER TABLE users
        ADD COLUMN token_version integer NOT NULL DEFAULT 0,
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_pending text,
        ADD COLUMN totp_last_step bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        DROP COLUMN token_version,
        DROP COLUMN totp_secret,
        DROP COLUMN totp_pending,
        DROP COLUMN totp_last_step`);
  }
}
