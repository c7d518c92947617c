import { createHash } from 'crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

const names = new Map<string, string>();

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
  const result = await pool.query({ name, text, values });
  return result.rows as T[];
}
