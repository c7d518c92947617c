import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { PG_ADMIN_URL, usePostgres } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * DATABASE_MIGRATIONS_URL (the primary itself, when DATABASE_URL goes through a transaction-pooling
 * PgBouncer): the start's migration step runs there, and only there.
 */
(usePostgres() ? describe : describe.skip)('Migrations through DATABASE_MIGRATIONS_URL', () => {
  const name = `hub_mig_${randomBytes(5).toString('hex')}`;
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  let app: TestApp | undefined;

  const admin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
  });
  afterAll(async () => {
    await app?.close();
    await app?.db.drop();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('migrates the database it names, not the one DATABASE_URL names', async () => {
    app = await startTestApp({ DATABASE_MIGRATIONS_URL: url.toString() });
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    try {
      const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM migrations`);
      // Every migration ran on the empty database named by DATABASE_MIGRATIONS_URL...
      expect(Number(rows[0].n)).toBeGreaterThan(30);
      const tables = await c.query(`SELECT to_regclass('public.conversations') AS t`);
      expect(tables.rows[0].t).toBe('conversations');
    } finally {
      await c.end();
    }
    // ...while the hub serves from DATABASE_URL, already migrated (its template).
    const health = await app.api('GET', '/health', undefined, null);
    expect(health.status).toBe(200);
  });
});
