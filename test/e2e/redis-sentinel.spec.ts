import { clusterSlot } from '../support/cluster-slot';
import { randomBytes } from 'crypto';
import { io, type Socket } from 'socket.io-client';
import { SentinelSetup } from '../support/redis-sentinel';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/**
 * Redis through Sentinel (REDIS_SENTINELS): two instances on a master, its replica and one
 * Sentinel of their own; the master is shut down, the Sentinel promotes the replica, and the
 * queue, the socket.io adapter and /health go on working on the new master.
 */
let redis: SentinelSetup;
let db: TestDatabase;
let a: TestApp;
let b: TestApp;
let socket: Socket | undefined;
const prefix = `ts${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  redis = await SentinelSetup.start({ master: 57101, replica: 57102, sentinel: 57103 });
  db = await createTestDatabase();
  const env = {
    REDIS_URL: '',
    REDIS_SENTINELS: redis.sentinels,
    REDIS_SENTINEL_NAME: redis.name,
  };
  a = await startTestApp(env, { db, prefix });
  b = await startTestApp(env, { db, prefix });
});
afterAll(async () => {
  socket?.disconnect();
  await b?.close();
  await a?.close();
  await db?.drop();
  await redis?.stop();
});

let phone = 8613700137100;
/** An inbound on A, an agent's reply through the queue, and the reply in the sandbox outbox. */
async function replySent(text: string): Promise<void> {
  const from = `+${++phone}`;
  const r = await a.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text: 'hi' });
  expect(r.status).toBeLessThan(300);
  const conversationId = r.body.conversation.id as string;
  const reply = await a.api('POST', `/api/v1/conversations/${conversationId}/replies`, { text });
  expect(reply.status).toBeLessThan(300);
  await eventually(
    async () => {
      const out = await a.api(
        'GET',
        `/api/v1/sandbox/outbox?channel=sms&to=${encodeURIComponent(from)}`,
      );
      return (out.body.items as Array<{ text: string }>).some((i) => i.text === text);
    },
    `the reply "${text}" to be sent`,
    30_000,
  );
}

/** A message arriving on A reaches an agent connected to B (socket.io's Redis adapter). */
async function deliveredAcross(text: string): Promise<void> {
  const got = new Promise<void>((resolve) =>
    socket!.on('message.created', (e: { message: { text: string } }) => {
      if (e.message.text === text) resolve();
    }),
  );
  const r = await a.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: `+${++phone}`,
    text,
  });
  expect(r.status).toBeLessThan(300);
  await got;
}

describe('Redis through Sentinel', () => {
  it('runs jobs and relays socket.io events through the master the Sentinel names', async () => {
    expect((await a.api('GET', '/health')).body.details.queue).toMatchObject({
      status: 'up',
      driver: 'bullmq',
      sentinelMaster: redis.name,
    });
    await replySent('before the failover');
    const agent = await a.userToken('agent');
    socket = io(`${b.url}/agents`, {
      auth: { token: agent.token },
      transports: ['websocket'],
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket!.once('connect', () => resolve());
      socket!.once('connect_error', reject);
    });
    await deliveredAcross('across instances before the failover');
  });

  it('writes every key under the hash-tagged prefix, all in one cluster slot', async () => {
    // A failed login writes the throttle's counters too.
    const failed = await a.api('POST', '/api/v1/auth/login', {
      email: 'nobody@test.local',
      password: 'wrong-password-1',
    });
    expect(failed.status).toBe(401);
    const client = redis.client(redis.masterPort);
    try {
      const keys = await client.keys('*');
      expect(keys.some((k) => k.includes(':login-failures:'))).toBe(true);
      expect(keys.some((k) => k.includes(':delivery'))).toBe(true);
      for (const k of keys) expect(k.startsWith(`{${prefix}}:`)).toBe(true);
      const slots = new Set(keys.map((k) => clusterSlot(k)));
      expect([...slots]).toEqual([clusterSlot(`{${prefix}}`)]);
    } finally {
      client.disconnect();
    }
  });

  it('goes on after the master fails and the Sentinel promotes the replica', async () => {
    await redis.failover();
    await eventually(
      async () => (await a.api('GET', '/health')).status === 200,
      '/health to report the queue up on the new master',
      30_000,
    );
    await replySent('after the failover');
    await deliveredAcross('across instances after the failover');
    const client = redis.client(redis.replicaPort);
    try {
      expect((await client.keys(`{${prefix}}:*`)).length).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });
});
