import { createHash } from 'crypto';
import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

const names = new Map<string, string>();
const DUPLICATE_PREPARED_STATEMENT = '42P05';
const UNKNOWN_PREPARED_STATEMENT = '26000';
/**
 * Bumped when PostgreSQL refuses a prepared statement whose result columns a migration changed
 * (a column added to a table it reads with *): every statement is then prepared afresh under a
 * new name, on every connection, instead of failing until the process restarts.
 */
let generation = 0;
/**
 * Pools whose connections share one session (the embedded PGlite behind its socket server): a
 * name one connection prepared already exists for the next, so there every call is parsed afresh.
 */
const sharedSessions = new WeakSet<Pool>();
/**
 * Pools known to give each connection a session of its own (probeSessions): only there does a
 * statement inside a transaction get a name, since a failed Parse would abort the transaction.
 */
const ownSessions = new WeakSet<Pool>();

const poolOf = (db: DataSource) => (db.driver as unknown as { master: Pool }).master;

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `hub_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return `${name}_${generation}`;
}

/** "cached plan must not change result type": raised before the statement ran anything. */
function staleResultType(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

/**
 * Signs that a connection's session is not its own: the name exists already (another connection
 * of a shared session prepared it), or no longer exists (a transaction-pooling PgBouncer sent the
 * call to another server connection than the one that prepared it).
 */
function sessionNotOwn(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === DUPLICATE_PREPARED_STATEMENT || code === UNKNOWN_PREPARED_STATEMENT;
}

/** From now on every statement on this pool is parsed afresh, unnamed. */
function stopNaming(pool: Pool): void {
  ownSessions.delete(pool);
  sharedSessions.add(pool);
}

/**
 * Learns, once at boot, whether the data source's connections have sessions of their own.
 * `named: false` (DATABASE_PREPARED_STATEMENTS=false, for a pooler that shares server
 * connections between transactions) names no statement at all.
 */
export async function probeSessions(db: DataSource, named = true): Promise<void> {
  const pool = poolOf(db);
  const { rows } = await pool.query<{ version: string }>(`SELECT version() AS version`);
  if (!named || /PGlite/i.test(rows[0]?.version ?? '')) stopNaming(pool);
  else ownSessions.add(pool);
}

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
  const pool = poolOf(db);
  if (!sharedSessions.has(pool)) {
    try {
      return (await pool.query({ name: nameOf(text), text, values })).rows as T[];
    } catch (error) {
      if (staleResultType(error)) {
        generation++;
        return (await pool.query({ name: nameOf(text), text, values })).rows as T[];
      }
      if (!sessionNotOwn(error)) throw error;
      // Only the Parse or Bind failed, nothing ran: the same call unnamed, and from now on for this pool.
      stopNaming(pool);
    }
  }
  return (await pool.query({ text, values })).rows as T[];
}

/**
 * preparedQuery inside a transaction (the manager TypeORM's transaction callback gets): the
 * statement runs on the transaction's connection, named where the pool is known to allow it,
 * else unnamed. A manager without a query runner (the data source's own) runs preparedQuery.
 */
export async function preparedQueryIn<T = Record<string, unknown>>(
  m: EntityManager,
  text: string,
  values: unknown[],
): Promise<T[]> {
  if (m.queryRunner === undefined) return preparedQuery<T>(m.connection, text, values);
  // The runner's own connection (connected already inside a transaction).
  const client = (await m.queryRunner.connect()) as PoolClient;
  const query = ownSessions.has(poolOf(m.connection))
    ? { name: nameOf(text), text, values }
    : { text, values };
  try {
    return (await client.query(query)).rows as T[];
  } catch (error) {
    // The transaction is aborted with it (its caller fails this once); later ones prepare afresh,
    // or unnamed where the session turned out not to be the connection's own.
    if (staleResultType(error)) generation++;
    if (sessionNotOwn(error)) stopNaming(poolOf(m.connection));
    throw error;
  }
}
