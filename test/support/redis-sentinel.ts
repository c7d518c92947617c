import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import Redis from 'ioredis';
import { tmpdir } from 'os';
import { join } from 'path';
import { eventually } from './test-app';

/**
 * A master, a replica and one Sentinel (quorum 1), each a redis-server of its own on loopback,
 * with short failure detection: `failover()` shuts the master down and resolves once the
 * Sentinel reports the replica as the new master.
 */
export class SentinelSetup {
  private readonly procs = new Map<number, ChildProcess>();
  private constructor(
    private readonly dir: string,
    readonly name: string,
    readonly masterPort: number,
    readonly replicaPort: number,
    readonly sentinelPort: number,
  ) {}

  /** REDIS_SENTINELS for the hub. */
  get sentinels(): string {
    return `127.0.0.1:${this.sentinelPort}`;
  }

  static async start(ports: { master: number; replica: number; sentinel: number }, name = 'hubm') {
    const dir = mkdtempSync(join(tmpdir(), 'hub-sentinel-'));
    const s = new SentinelSetup(dir, name, ports.master, ports.replica, ports.sentinel);
    const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    s.spawn(ports.master, ['--port', String(ports.master), ...common]);
    s.spawn(ports.replica, [
      '--port',
      String(ports.replica),
      '--replicaof',
      '127.0.0.1',
      String(ports.master),
      ...common,
    ]);
    await Promise.all([s.ping(ports.master), s.ping(ports.replica)]);
    await eventually(
      async () => /master_link_status:up/.test(await s.run(ports.replica, 'INFO', 'replication')),
      'the replica to sync with the master',
    );
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${ports.sentinel}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${ports.master} 1`,
        `sentinel down-after-milliseconds ${name} 500`,
        `sentinel failover-timeout ${name} 3000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    s.spawn(ports.sentinel, [conf, '--sentinel']);
    await s.ping(ports.sentinel);
    // The Sentinel learns of the replica from the master's INFO; a failover needs it.
    await eventually(
      async () => {
        const replicas = (await s.run(ports.sentinel, 'SENTINEL', 'REPLICAS', name)) as unknown[];
        return replicas.length === 1;
      },
      'the Sentinel to know the replica',
      20_000,
    );
    return s;
  }

  /** The port the Sentinel reports for the master. */
  async masterPortNow(): Promise<number> {
    const [, port] = (await this.run(
      this.sentinelPort,
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      this.name,
    )) as [string, string];
    return Number(port);
  }

  /** Shuts the master down and waits until the Sentinel has promoted the replica. */
  async failover(timeoutMs = 30_000): Promise<void> {
    await this.run(this.masterPort, 'SHUTDOWN', 'NOSAVE').catch(() => undefined);
    await eventually(
      async () => (await this.masterPortNow()) === this.replicaPort,
      'the Sentinel to promote the replica',
      timeoutMs,
    );
    await eventually(
      async () => /role:master/.test(await this.run(this.replicaPort, 'INFO', 'replication')),
      'the replica to become master',
      timeoutMs,
    );
  }

  /** A client of one server (not through the Sentinel); the caller disconnects it. */
  client(port: number): Redis {
    return new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
  }

  async stop(): Promise<void> {
    const exits = [...this.procs.values()].map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill('SIGKILL');
        }),
    );
    await Promise.all(exits);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(port: number, args: string[]): void {
    const p = spawn('redis-server', args, { stdio: 'ignore' });
    this.procs.set(port, p);
  }

  private async ping(port: number): Promise<void> {
    await eventually(
      () =>
        this.run(port, 'PING').then(
          (r) => r === 'PONG',
          () => false,
        ),
      `redis-server on ${port} to answer`,
    );
  }

  private async run(port: number, ...command: string[]): Promise<any> {
    const c = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return await c.call(command[0], ...command.slice(1));
    } finally {
      c.disconnect();
    }
  }
}
