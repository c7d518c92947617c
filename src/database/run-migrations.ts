import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

const MIGRATION_LOCK = 727_001;

/** Runs pending migrations under an advisory lock so several instances can start at once. */
export async function runMigrations(url: string, embedded = false): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(url, { embedded, poolSize: 1 }), entities: [] });
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await ds.destroy();
  }
}
