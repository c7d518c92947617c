import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A template version is a draft, the published one of its slot (key, channel, locale, variant),
 * or archived (published before, superseded). Versions written before this were applied as they
 * came: the newest of each slot is published, the older ones archived. state_changed_at orders
 * publications (a rollback re-publishes an older version) and lets other instances pick changes up.
 */
export class TemplateVersionStates1763911400000 implements MigrationInterface {
  name = 'TemplateVersionStates1763911400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE template_versions
        ADD COLUMN state text NOT NULL DEFAULT 'published'
          CONSTRAINT template_versions_state_check CHECK (state IN ('draft', 'published', 'archived')),
        ADD COLUMN state_changed_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`
      UPDATE template_versions v SET state_changed_at = v.created_at,
        state = CASE WHEN v.version = (
          SELECT max(o.version) FROM template_versions o
          WHERE o.key = v.key AND o.channel = v.channel AND o.locale = v.locale AND o.variant = v.variant
        ) THEN 'published' ELSE 'archived' END`);
    await q.query(
      `CREATE UNIQUE INDEX template_versions_one_published ON template_versions (key, channel, locale, variant) WHERE state = 'published'`,
    );
    await q.query(
      `CREATE INDEX template_versions_state_changed ON template_versions (state_changed_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX template_versions_state_changed`);
    await q.query(`DROP INDEX template_versions_one_published`);
    await q.query(`ALTER TABLE template_versions DROP COLUMN state_changed_at, DROP COLUMN state`);
  }
}
