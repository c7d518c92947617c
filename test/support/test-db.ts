import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/run-migrations';
import { PG_ADMIN_URL, usePostgres } from './services';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of this test file's own: a copy of the migrated template on the real PostgreSQL,
 * or a fresh in-memory PGlite when PostgreSQL cannot be reached.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!usePostgres()) {
    const pglite = await startEmbeddedPostgres();
    await runMigrations(pglite.url, true);
    return { url: pglite.url, drop: () => pglite.stop() };
  }
  const template = process.env.HUB_TEST_TEMPLATE_DB;
  if (!template) throw new Error('global setup did not build the template database');
  const name = `hub_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
