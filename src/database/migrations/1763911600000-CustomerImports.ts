import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer imports from the browser: one row per uploaded CSV with its counts as the server
 * goes through it (heartbeat_at moves with them), and the rejected rows with their reasons and
 * cells (for the download). An import whose process died stays 'running' with a stale
 * heartbeat until it is read or the hub starts again: then it is marked 'interrupted'.
 */
export class CustomerImports1763911600000 implements MigrationInterface {
  name = 'CustomerImports1763911600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE customer_imports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      created_by uuid REFERENCES users(id) ON DELETE SET NULL,
      filename text NOT NULL DEFAULT '',
      bytes int NOT NULL,
      status text NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
      columns text[] NOT NULL DEFAULT '{}',
      total_rows int NOT NULL,
      processed int NOT NULL DEFAULT 0,
      created int NOT NULL DEFAULT 0,
      duplicates int NOT NULL DEFAULT 0,
      rejected int NOT NULL DEFAULT 0,
      error text,
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz)`);
    await q.query(
      `CREATE INDEX customer_imports_running ON customer_imports (heartbeat_at) WHERE status = 'running'`,
    );
    await q.query(`CREATE TABLE customer_import_rejections (
      import_id uuid NOT NULL REFERENCES customer_imports(id) ON DELETE CASCADE,
      line int NOT NULL,
      reasons text[] NOT NULL,
      duplicate boolean NOT NULL DEFAULT false,
      cells jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (import_id, line))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS customer_import_rejections`);
    await q.query(`DROP TABLE IF EXISTS customer_imports`);
  }
}
