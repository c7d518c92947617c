/**
 * The soak's infrastructure from Debian's packages, on loopback, in a temporary directory:
 * a PostgreSQL primary and its streaming replica, PgBouncer (transaction pooling) in front of
 * the primary, a Redis master with one replica and three Sentinels. Nothing is containerised;
 * everything is torn down by stop() (and by killAllNow() on a signal).
 */
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { Daemon, removeOnAbort, runOnce, waitFor, type RunAs } from './daemon';

/** Debian's PostgreSQL binaries, the newest version installed (SOAK_PG_BIN to choose). */
const PG_BIN = process.env.SOAK_PG_BIN ?? newestPostgres();

function newestPostgres(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return join(root, versions[0] ?? '15', 'bin');
}
export const PGBOUNCER = process.env.SOAK_PGBOUNCER ?? '/usr/sbin/pgbouncer';
const REDIS_SERVER = 'redis-server';
export const SENTINEL_NAME = 'soak';

export interface ClusterPorts {
  primary: number;
  replica: number;
  bouncer: number;
  redis: [number, number];
  sentinels: [number, number, number];
}

/**
 * The n-th port the soak listens on: odd ports only. They lie in Linux's ephemeral range
 * (32768-60999), and connect() takes even ephemeral ports first, so a daemon's outgoing
 * connections (Sentinel's links, pools) do not sit on a port another daemon is about to bind.
 */
export function soakPort(base: number, n: number): number {
  return (base | 1) + 2 * n;
}

export function clusterPorts(base: number): ClusterPorts {
  const p = (n: number) => soakPort(base, n);
  return {
    primary: p(0),
    replica: p(1),
    bouncer: p(2),
    redis: [p(3), p(4)],
    sentinels: [p(5), p(6), p(7)],
  };
}

/** What is missing on this machine to run the soak, as an install hint; null when nothing. */
export function missingPackages(): string | null {
  const missing: string[] = [];
  if (!existsSync(PGBOUNCER)) missing.push('pgbouncer');
  if (!existsSync(join(PG_BIN, 'initdb'))) missing.push('postgresql');
  if (spawnable(REDIS_SERVER))
    return missing.length ? `apt-get install ${missing.join(' ')}` : null;
  missing.push('redis-server');
  return `apt-get install ${missing.join(' ')}`;
}

function spawnable(cmd: string): boolean {
  try {
    runOnce(cmd, ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** initdb and PgBouncer refuse root: the data directories belong to the postgres user. */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(runOnce('id', ['-u', 'postgres']).trim());
  const gid = Number(runOnce('id', ['-g', 'postgres']).trim());
  return { uid, gid };
}

/** A one-shot Redis connection that neither retries nor reports errors on its own. */
function probe(port: number): Redis {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  r.on('error', () => undefined);
  return r;
}

export class Cluster {
  readonly dir: string;
  readonly primary: Daemon;
  readonly replica: Daemon;
  readonly bouncer: Daemon;
  /** Both Redis servers, by port; which one is master changes with a failover. */
  readonly redis: Map<number, Daemon> = new Map();
  readonly sentinels: Daemon[] = [];
  private readonly runAs: RunAs | undefined;

  constructor(readonly ports: ClusterPorts) {
    this.dir = mkdtempSync(join(tmpdir(), 'hub-soak-'));
    removeOnAbort(this.dir);
    this.runAs = postgresUser();
    if (this.runAs) chownSync(this.dir, this.runAs.uid, this.runAs.gid);
    const log = (name: string) => ({ logFile: join(this.dir, `${name}.log`) });
    const pgArgs = (data: string, port: number) => [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=64MB',
      // No OS crash in a soak: durability against power loss is not what is tested.
      '-c',
      'fsync=off',
      '-c',
      'hot_standby=on',
    ];
    this.primary = new Daemon(
      'postgres-primary',
      join(PG_BIN, 'postgres'),
      pgArgs(join(this.dir, 'pg-primary'), ports.primary),
      { ...log('postgres-primary'), runAs: this.runAs, ports: [ports.primary] },
    );
    this.replica = new Daemon(
      'postgres-replica',
      join(PG_BIN, 'postgres'),
      pgArgs(join(this.dir, 'pg-replica'), ports.replica),
      { ...log('postgres-replica'), runAs: this.runAs, ports: [ports.replica] },
    );
    this.bouncer = new Daemon('pgbouncer', PGBOUNCER, [join(this.dir, 'pgbouncer.ini')], {
      ...log('pgbouncer'),
      runAs: this.runAs,
      ports: [ports.bouncer],
    });
    for (const port of ports.redis)
      this.redis.set(
        port,
        new Daemon(`redis-${port}`, REDIS_SERVER, this.redisArgs(port), {
          ...log(`redis-${port}`),
          ports: [port],
        }),
      );
    for (const port of ports.sentinels)
      this.sentinels.push(
        new Daemon(
          `sentinel-${port}`,
          REDIS_SERVER,
          [join(this.dir, `sentinel-${port}.conf`), '--sentinel'],
          { ...log(`sentinel-${port}`), ports: [port] },
        ),
      );
  }

  get primaryUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.ports.primary}/hub`;
  }
  get replicaUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.ports.replica}/hub`;
  }
  get bouncerUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.ports.bouncer}/hub`;
  }
  get sentinelList(): string {
    return this.ports.sentinels.map((p) => `127.0.0.1:${p}`).join(',');
  }

  private redisArgs(port: number, replicaOf?: number): string[] {
    const dir = join(this.dir, `redis-${port}`);
    mkdirSync(dir, { recursive: true });
    return [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--repl-diskless-sync-delay',
      '0',
      ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
    ];
  }

  async start(): Promise<void> {
    await Promise.all([this.startPostgres(), this.startRedis()]);
    this.writeBouncerConfig();
    await this.bouncer.start();
    await this.bouncerReady(20_000);
  }

  private async startPostgres(): Promise<void> {
    const primaryDir = join(this.dir, 'pg-primary');
    runOnce(
      join(PG_BIN, 'initdb'),
      ['-D', primaryDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      this.runAs,
    );
    await this.primary.start();
    await waitFor(
      () => this.query(this.ports.primary, 'postgres', 'SELECT 1'),
      'the primary',
      30_000,
    );
    await this.query(this.ports.primary, 'postgres', 'CREATE DATABASE hub');
    runOnce(
      join(PG_BIN, 'pg_basebackup'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(this.ports.primary),
        '-U',
        'postgres',
        '-D',
        join(this.dir, 'pg-replica'),
        '-R',
        '-X',
        'stream',
        '--checkpoint=fast',
        '--no-sync',
      ],
      this.runAs,
    );
    await this.replica.start();
    await waitFor(
      async () =>
        (await this.query(this.ports.replica, 'hub', 'SELECT pg_is_in_recovery() AS r'))[0]?.r,
      'the replica in recovery',
      30_000,
    );
  }

  private writeBouncerConfig(): void {
    const file = join(this.dir, 'pgbouncer.ini');
    writeFileSync(
      file,
      [
        '[databases]',
        `hub = host=127.0.0.1 port=${this.ports.primary} dbname=hub`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${this.ports.bouncer}`,
        `unix_socket_dir = ${this.dir}`,
        'auth_type = trust',
        `auth_file = ${join(this.dir, 'userlist.txt')}`,
        'pool_mode = transaction',
        'max_client_conn = 1000',
        'default_pool_size = 40',
        // The hub sends `-c jit=off` as a startup option; node-postgres sends extra_float_digits.
        'ignore_startup_parameters = extra_float_digits,options',
        'log_connections = 0',
        'log_disconnections = 0',
        '',
      ].join('\n'),
    );
    writeFileSync(join(this.dir, 'userlist.txt'), '"postgres" ""\n');
    if (this.runAs) {
      chownSync(file, this.runAs.uid, this.runAs.gid);
      chownSync(join(this.dir, 'userlist.txt'), this.runAs.uid, this.runAs.gid);
    }
  }

  async bouncerReady(timeoutMs: number): Promise<void> {
    await waitFor(() => this.query(this.ports.bouncer, 'hub', 'SELECT 1'), 'PgBouncer', timeoutMs);
  }

  private async startRedis(): Promise<void> {
    const [first, second] = this.ports.redis;
    await this.redis.get(first)!.start();
    await this.redis.get(second)!.withArgs(this.redisArgs(second, first)).start();
    await waitFor(
      async () => (await this.redisInfo(second)).includes('master_link_status:up'),
      'the Redis replica to sync',
      20_000,
    );
    for (const [i, port] of this.ports.sentinels.entries()) {
      writeFileSync(
        join(this.dir, `sentinel-${port}.conf`),
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${this.dir}`,
          `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${first} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_NAME} 1500`,
          `sentinel failover-timeout ${SENTINEL_NAME} 6000`,
          `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
          '',
        ].join('\n'),
      );
      await this.sentinels[i].start();
    }
    await waitFor(
      async () => (await this.sentinelMaster(this.ports.sentinels[2])) === first,
      'the Sentinels to agree on the master',
      20_000,
    );
  }

  /** The port of the master as a Sentinel reports it. */
  async sentinelMaster(sentinelPort = this.ports.sentinels[0]): Promise<number | null> {
    const r = probe(sentinelPort);
    try {
      await r.connect();
      const addr = (await r.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME)) as
        string[] | null;
      return addr ? Number(addr[1]) : null;
    } finally {
      r.disconnect();
    }
  }

  async redisInfo(port: number): Promise<string> {
    const r = probe(port);
    try {
      await r.connect();
      return await r.info('replication');
    } finally {
      r.disconnect();
    }
  }

  /**
   * kill -9 of the Redis master; resolves when every Sentinel names the other as master, and
   * the old one runs again as its replica.
   */
  async failRedisMaster(): Promise<{ from: number; to: number }> {
    const from = await this.sentinelMaster();
    if (from === null) throw new Error('no Redis master known to Sentinel');
    const to = this.ports.redis.find((p) => p !== from)!;
    await this.redis.get(from)!.kill9();
    for (const port of this.ports.sentinels)
      await waitFor(
        async () => (await this.sentinelMaster(port)) === to,
        `Sentinel ${port} to promote ${to}`,
        30_000,
      );
    await this.redis.get(from)!.withArgs(this.redisArgs(from, to)).start();
    await waitFor(
      async () => (await this.redisInfo(from)).includes('master_link_status:up'),
      'the old master to sync as a replica',
      30_000,
    );
    return { from, to };
  }

  async query(port: number, db: string, sql: string): Promise<Array<Record<string, unknown>>> {
    const c = new Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: db,
      connectionTimeoutMillis: 3000,
    });
    // The server may be the one a fault just killed: a reset is the query's error, not the process's.
    c.on('error', () => undefined);
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  /** Stops everything; keeps the directory (logs) when keep is set, else removes it. */
  async stop(keep = false): Promise<void> {
    const all = [
      this.bouncer,
      ...this.sentinels,
      ...this.redis.values(),
      this.replica,
      this.primary,
    ];
    // PostgreSQL: SIGINT is the fast shutdown.
    await Promise.all(
      all.map((d) => d.stop(d === this.primary || d === this.replica ? 'SIGINT' : 'SIGTERM')),
    );
    removeOnAbort(this.dir, false);
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
