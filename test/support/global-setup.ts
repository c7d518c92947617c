import { createHash } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/run-migrations';
import { PG_ADMIN_URL, postgresReachable, redisReachable } from './services';

const MIGRATIONS_DIR = join(__dirname, '../../src/database/migrations');

/** Finds the services, refuses to run without them under REQUIRE_SERVICES=1, builds the template database once. */
export default async function globalSetup(): Promise<void> {
  const [pg, redis] = await Promise.all([postgresReachable(), redisReachable()]);
  const missing = [
    !pg && `PostgreSQL (${PG_ADMIN_URL})`,
    !redis && 'Redis (127.0.0.1:6379)',
  ].filter(Boolean);
  if (missing.length && process.env.REQUIRE_SERVICES === '1') {
    throw new Error(`REQUIRE_SERVICES=1 but ${missing.join(' and ')} cannot be reached`);
  }
  process.env.HUB_TEST_PG = pg ? '1' : '0';
  process.env.HUB_TEST_REDIS = redis ? '1' : '0';
  process.stdout.write(
    `\n[tests] database: ${pg ? 'PostgreSQL at 127.0.0.1:5432' : 'embedded PGlite (PostgreSQL unreachable)'}; ` +
      `queue: ${redis ? 'BullMQ on Redis at 127.0.0.1:6379' : 'in-process (Redis unreachable)'}\n`,
  );
  if (!pg) return;
  const hash = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort())
    hash.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  const template = `hub_tpl_${hash.digest('hex').slice(0, 12)}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(727002)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!exists.rowCount) {
      await admin.query(`CREATE DATABASE ${template}_build`).catch(() => undefined);
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${template}_build`;
      await runMigrations(url.toString());
      await admin.query(`ALTER DATABASE ${template}_build RENAME TO ${template}`);
    }
    await admin.query('SELECT pg_advisory_unlock(727002)');
  } finally {
    await admin.end();
  }
  process.env.HUB_TEST_TEMPLATE_DB = template;
}
