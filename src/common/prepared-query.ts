import { createHash } from 'crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

const names = new Map<string, string>();
const DUPLICATE_PREPARED_STATEMENT = '42P05';
/**
 * Pools whose connections share one session (the embedded PGlite behind its socket server): a
 * name one connection prepared already exists for the next, so there every call is parsed afresh.
 */
const sharedSessions = new WeakSet<Pool>();

/**
 * Runs a hot statement as a named prepared statement on the data source's pool: each connection
 * parses it once and PostgreSQL may keep its plan, instead of parsing and planning every call
 * (for the large batched statements that costs more than running them). Outside transactions
 * only; answers the rows.
 */
export async function preparedQuery<T = Record<string, unknown>>(
  db: DataSource,
  text: string,
  values: unknown[],
): Promise<T[]> {
  let name = names.get(text);
  if (name === undefined) {
    name = `hub_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  const pool = (db.driver as unknown as { master: Pool }).master;
  if (!sharedSessions.has(pool)) {
    try {
      return (await pool.query({ name, text, values })).rows as T[];
    } catch (error) {
      if ((error as { code?: string }).code !== DUPLICATE_PREPARED_STATEMENT) throw error;
      // Only the Parse failed, nothing ran: the same call unnamed, and from now on for this pool.
      sharedSessions.add(pool);
    }
  }
  return (await pool.query({ text, values })).rows as T[];
}
