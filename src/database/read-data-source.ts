import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { probeSessions } from '../common/prepared-query';
import { SOCKET_ERROR_CODES } from '../common/socket-errors';

/** The data source for reads that tolerate a little lag (see ReadDataSource). */
export const READ_DATA_SOURCE = 'READ_DATA_SOURCE';
export const InjectReadDataSource = (): ParameterDecorator => Inject(READ_DATA_SOURCE);

/** After the replica failed to answer, reads go to the primary this long before it is tried again. */
export const REPLICA_RETRY_MS = 5000;

/** The replica as the last attempt found it. */
export type ReplicaState = 'none' | 'up' | 'down';

/**
 * Reads for reports, analytics, search and exports: on the replica (DATABASE_REPLICA_URL) when
 * one is configured and answers, on the primary otherwise. A replica that cannot be reached (or
 * a standby that cancels a statement for a conflict with recovery) costs the read nothing: it
 * runs on the primary, and the replica is left alone for REPLICA_RETRY_MS. Its pool is made at
 * the first use that finds none, so a replica down at start delays nothing.
 */
export class ReadDataSource implements OnModuleDestroy {
  private readonly log = new Logger('Database');
  private replica?: Promise<DataSource>;
  private downUntil = 0;
  private lastError?: string;
  private closed = false;

  constructor(
    private readonly primary: DataSource,
    private readonly replicaOptions?: DataSourceOptions,
    private readonly preparedStatements = true,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): ReplicaState {
    if (!this.replicaOptions) return 'none';
    return this.now() < this.downUntil ? 'down' : 'up';
  }

  /** Why the replica was last found down. */
  get error(): string | undefined {
    return this.lastError;
  }

  query<T = any>(sql: string, params?: unknown[]): Promise<T> {
    return this.run((db) => db.query<T>(sql, params));
  }

  /** `fn` on the replica, or on the primary when there is none or it fails to answer. */
  async run<T>(fn: (db: DataSource) => Promise<T>): Promise<T> {
    if (this.state !== 'up') return fn(this.primary);
    let replica: DataSource;
    try {
      replica = await this.connect();
    } catch (e) {
      this.markDown(e);
      return fn(this.primary);
    }
    try {
      return await fn(replica);
    } catch (e) {
      if (isConnectionError(e)) this.markDown(e);
      else if (!isRecoveryConflict(e)) throw e;
      return fn(this.primary);
    }
  }

  /** `fn` on the replica itself, no fallback (for /health); throws when it is unreachable. */
  async onReplica<T>(fn: (db: DataSource) => Promise<T>): Promise<T> {
    if (!this.replicaOptions) throw new Error('no replica configured');
    try {
      const result = await fn(await this.connect());
      this.markUp();
      return result;
    } catch (e) {
      if (isConnectionError(e)) this.markDown(e);
      throw e;
    }
  }

  private connect(): Promise<DataSource> {
    if (this.closed) return Promise.reject(new Error('shutting down'));
    if (!this.replica) {
      const starting = (async () => {
        const db = new DataSource(this.replicaOptions!);
        await db.initialize();
        await probeSessions(db, this.preparedStatements);
        return db;
      })();
      this.replica = starting;
      // A failed start is forgotten, so the next attempt makes a new pool.
      starting.catch(() => {
        if (this.replica === starting) this.replica = undefined;
      });
    }
    return this.replica;
  }

  private markDown(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    if (this.now() >= this.downUntil)
      this.log.warn(`read replica unreachable (${message}): reads go to the primary`);
    this.lastError = message;
    this.downUntil = this.now() + REPLICA_RETRY_MS;
  }

  private markUp(): void {
    if (this.lastError) this.log.log('read replica answers again');
    this.lastError = undefined;
    this.downUntil = 0;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const replica = await this.replica?.catch(() => undefined);
    if (replica?.isInitialized) await replica.destroy();
  }
}

const CONNECTION_CODES = new Set<string>([
  ...SOCKET_ERROR_CODES,
  // admin_shutdown, crash_shutdown, cannot_connect_now (a standby still starting)
  '57P01',
  '57P02',
  '57P03',
  // the database named in the URL does not exist
  '3D000',
]);
const CONNECTION_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection error|not queryable/i;

/** A failure to reach the server (any SQLSTATE of class 08 too), not of the statement. */
export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; driverError?: { code?: unknown } } | null;
  if (!err) return false;
  const code = err.code ?? err.driverError?.code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08')))
    return true;
  return typeof err.message === 'string' && CONNECTION_MESSAGES.test(err.message);
}

/** A standby cancelled the statement: the WAL it replays removed rows the statement needed. */
function isRecoveryConflict(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  return err?.code === '40001' && /conflict with recovery/i.test(String(err.message));
}
