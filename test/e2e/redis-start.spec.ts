import { randomBytes } from 'crypto';
import { Writable } from 'stream';
import { bootstrap, type RunningHub } from '../../src/bootstrap';
import { TEST_REDIS_URL, useRedis } from '../support/services';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { ADMIN, eventually } from '../support/test-app';

type LogLine = { level: number; context?: string; msg?: string; err?: unknown; trace?: unknown };

/**
 * A hub started while its Redis is unreachable waits for it, one log line per attempt, and
 * starts once Redis answers; a Redis lost later is one line per reconnect attempt however many
 * clients (queues, workers, socket.io, the login throttle) reconnect. Nothing reaches stderr.
 */
(useRedis() ? describe : describe.skip)('Start with Redis unreachable', () => {
  let db: TestDatabase;
  let redis: TcpProxy;
  let hub: RunningHub | undefined;
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  let stderrSpy: jest.SpyInstance;
  let consoleSpy: jest.SpyInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await TcpProxy.start(
      { host: '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port) },
      'refuse',
    );
    const write = process.stderr.write.bind(process.stderr);
    stderrSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) => {
      stderr.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
    consoleSpy = jest
      .spyOn(console, 'error')
      .mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  });
  afterAll(async () => {
    await redis?.pass();
    await hub?.close();
    await redis?.close();
    await db?.drop();
    stderrSpy?.mockRestore();
    consoleSpy?.mockRestore();
  });

  const redisLines = (pattern: RegExp) =>
    lines.filter((l) => l.context === 'Redis' && pattern.test(l.msg ?? ''));
  const attempts = (pattern: RegExp) =>
    redisLines(pattern).map((l) => Number(/attempt (\d+)/.exec(l.msg ?? '')?.[1]));
  const health = async () => (await fetch(`${hub!.url}/health`)).status;

  it('waits with one line per attempt, then starts once Redis answers', async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as LogLine);
        done();
      },
    });
    const booting = bootstrap(
      {
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        REDIS_URL: redis.url(TEST_REDIS_URL),
        QUEUE_PREFIX: `tstart${randomBytes(4).toString('hex')}`,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        JWT_SECRET: 'test-secret-test-secret-test-secret',
        LOG_LEVEL: 'info',
        START_SMTP_RECEIVER: 'false',
      },
      { logDestination: sink },
    );
    let started = false;
    void booting.then(() => (started = true)).catch(() => undefined);
    await eventually(
      async () => redisLines(/not reachable at start/).length >= 3,
      'three failed attempts',
    );
    expect(started).toBe(false);
    await redis.pass();
    hub = await booting;

    const waited = redisLines(/not reachable at start/);
    expect(attempts(/not reachable at start/)).toEqual(waited.map((_, i) => i + 1));
    for (const l of waited) {
      expect(l.level).toBe(40);
      expect(l.msg).toMatch(
        /^Redis 127\.0\.0\.1:\d+ not reachable at start \(connect ECONNREFUSED [^)]+\): attempt \d+, next in \d+ ms$/,
      );
    }
    expect(redisLines(/answers after \d+ attempts/)).toHaveLength(1);
    // The hub came up once Redis answered, and says so.
    expect(lines.some((l) => /mode: .*BullMQ on Redis/.test(l.msg ?? ''))).toBe(true);
    expect(await health()).toBe(200);
    expect(lines.filter((l) => l.err || l.trace)).toEqual([]);
    expect(stderr.join('')).not.toMatch(/ECONNREFUSED|Error:/);
  });

  it('logs a Redis lost while running once per reconnect attempt, and recovers', async () => {
    const before = lines.length;
    await redis.refuse();
    await eventually(
      async () => Math.max(0, ...attempts(/unreachable/)) >= 4,
      'four reconnect attempts',
      20_000,
    );
    await redis.pass();
    await eventually(async () => (await health()) === 200, 'healthy again', 20_000);
    const lost = redisLines(/unreachable/);
    // Every client's attempt n is one line, in order, naming the endpoint and the cause.
    const n = attempts(/unreachable/);
    expect(n).toEqual(n.map((_, i) => i + 1));
    for (const l of lost)
      expect(l.msg).toMatch(
        /^Redis 127\.0\.0\.1:\d+ unreachable( \(.+\))?: attempt \d+, next in \d+ ms$/,
      );
    expect(lost.some((l) => /ECONNREFUSED/.test(l.msg ?? ''))).toBe(true);
    // Nothing else about Redis, no stack, nothing on stderr.
    const since = lines.slice(before);
    expect(since.filter((l) => l.err || l.trace)).toEqual([]);
    expect(since.filter((l) => l.level >= 40 && !lost.includes(l))).toEqual([]);
    expect(stderr.join('')).not.toMatch(/ECONNREFUSED|Error:/);
  });
});
