import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the admin settings show of a user: when they last signed in, and whether their password
 * is a temporary one (generated at first start or set by an admin) they have not replaced yet.
 */
export class UserAdminFacts1763910600000 implements MigrationInterface {
  name = 'UserAdminFacts1763910600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN last_login_at timestamptz`);
    await q.query(`ALTER TABLE users ADD COLUMN password_temporary boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN password_temporary`);
    await q.query(`ALTER TABLE users DROP COLUMN last_login_at`);
  }
}
