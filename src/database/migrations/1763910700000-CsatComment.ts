import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a customer wrote after their rating ("5 很快就解决了"), listed in the reports. */
export class CsatComment1763910700000 implements MigrationInterface {
  name = 'CsatComment1763910700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE csat_responses ADD COLUMN comment text`);
    await q.query(`CREATE INDEX csat_responses_created ON csat_responses (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS csat_responses_created`);
    await q.query(`ALTER TABLE csat_responses DROP COLUMN comment`);
  }
}
