import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Template versions posted through the API; the newest per (key, channel, locale, variant) wins over the file. */
export class Templates1763900300000 implements MigrationInterface {
  name = 'Templates1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE template_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('email','sms','voice','wechat','livechat')),
        locale text NOT NULL,
        variant text NOT NULL DEFAULT '',
        subject text,
        body text NOT NULL,
        version integer NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT template_versions_unique UNIQUE (key, channel, locale, variant, version)
      )`);
    await q.query(`CREATE INDEX template_versions_created ON template_versions (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE template_versions`);
  }
}
