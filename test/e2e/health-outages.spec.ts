import { PG_ADMIN_URL, TEST_REDIS_URL, usePostgres, useRedis } from '../support/services';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * /health against a hub whose Redis and PostgreSQL sit behind proxies the test makes stop
 * answering (connections held open, nothing forwarded) or go away (connections refused).
 */
describe('GET /health when a part is down', () => {
  const withRedis = useRedis() ? it : it.skip;
  const withPostgres = usePostgres() ? it : it.skip;
  let db: TestDatabase;
  let redis: TcpProxy;
  let pg: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const admin = new URL(PG_ADMIN_URL);
    redis = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port) });
    pg = await TcpProxy.start({ host: admin.hostname, port: Number(admin.port || 5432) });
    app = await startTestApp(
      {
        ...(usePostgres() ? { DATABASE_URL: pg.url(db.url) } : {}),
        ...(useRedis() ? { REDIS_URL: redis.url(TEST_REDIS_URL) } : {}),
      },
      { db, prefix: `thealth${Date.now().toString(36)}` },
    );
  });
  afterAll(async () => {
    await redis?.pass();
    await pg?.pass();
    await app?.close();
    await redis?.close();
    await pg?.close();
    await db?.drop();
  });

  /** GET /health and how long it took. */
  async function health() {
    const t0 = performance.now();
    const res = await fetch(`${app.url}/health`);
    const body = (await res.json()) as Record<string, any>;
    return { status: res.status, body, ms: performance.now() - t0 };
  }
  const healthy = () =>
    eventually(async () => ((await health()).status === 200 ? true : null), 'healthy again');

  it('answers 200 with every part up', async () => {
    const r = await health();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, queue: { status: 'up' }, channels: { status: 'up' } },
    });
    expect(r.body.details.channels.sms).toMatchObject({ transport: 'sandbox', circuit: 'up' });
  });

  withRedis('answers 503 naming the queue within 2 s when Redis stops answering', async () => {
    await healthy();
    redis.hang();
    try {
      const r = await health();
      process.stdout.write(
        `[health] /health time with Redis down (no answer): ${r.ms.toFixed(0)} ms\n`,
      );
      expect(r.ms).toBeLessThan(2000);
      expect(r.status).toBe(503);
      expect(r.body.message).toMatch(/^queue: no answer within 1500 ms$/);
      expect(r.body.error.queue).toMatchObject({ status: 'down', driver: 'bullmq' });
      expect(r.body.details.database.status).toBe('up');
      // A second probe while it is still down is no slower (nothing piles up in front of it).
      expect((await health()).ms).toBeLessThan(2000);
    } finally {
      await redis.pass();
    }
    await healthy();
  });

  withRedis('answers 503 naming the queue within 2 s when Redis refuses connections', async () => {
    await healthy();
    await redis.refuse();
    try {
      const r = await health();
      process.stdout.write(
        `[health] /health time with Redis down (refused): ${r.ms.toFixed(0)} ms\n`,
      );
      expect(r.ms).toBeLessThan(2000);
      expect(r.status).toBe(503);
      expect(r.body.message).toMatch(/^queue: /);
      expect(r.body.details.database.status).toBe('up');
    } finally {
      await redis.pass();
    }
    await healthy();
  });

  withPostgres(
    'answers a valid token 500, not 401, while PostgreSQL refuses connections',
    async () => {
      await healthy();
      // A 401 would tell the client its token is bad (the web app logs its user out).
      await pg.refuse();
      try {
        const r = await app.api('GET', '/api/v1/conversations');
        expect(r.status).toBe(500);
      } finally {
        await pg.pass();
      }
      await healthy();
      expect((await app.api('GET', '/api/v1/conversations')).status).toBe(200);
      expect((await app.api('GET', '/api/v1/conversations', undefined, 'not-a-token')).status).toBe(
        401,
      );
    },
  );

  withPostgres(
    'answers 503 naming the database within 2 s when PostgreSQL stops answering',
    async () => {
      await healthy();
      pg.hang();
      try {
        const r = await health();
        expect(r.ms).toBeLessThan(2000);
        expect(r.status).toBe(503);
        expect(r.body.message).toBe('database: no answer within 1500 ms');
        expect(r.body.error.database).toMatchObject({ status: 'down', mode: 'postgres' });
        expect(r.body.details.queue.status).toBe('up');
      } finally {
        await pg.pass();
      }
      await healthy();
    },
  );
});
