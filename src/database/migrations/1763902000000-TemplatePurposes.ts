import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A template version states the purposes it may be sent for, as a shipped file's front matter
 * does. NULL (versions written before this): those of the file it overrides, or marketing (the
 * purpose with the most checks) where there is no such file.
 */
export class TemplatePurposes1763902000000 implements MigrationInterface {
  name = 'TemplatePurposes1763902000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE template_versions ADD COLUMN purposes text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE template_versions DROP COLUMN purposes`);
  }
}
