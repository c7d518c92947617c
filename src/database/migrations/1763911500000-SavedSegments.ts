import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Segments a marketer saved by name: a contacts filter to reuse in campaigns. */
export class SavedSegments1763911500000 implements MigrationInterface {
  name = 'SavedSegments1763911500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE saved_segments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        definition jsonb NOT NULL DEFAULT '{}',
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX saved_segments_name ON saved_segments (lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS saved_segments`);
  }
}
