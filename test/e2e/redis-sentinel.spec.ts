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

/**
 * A message arriving on A reaches an agent connected to B (socket.io's Redis adapter). With
 * `resend`, a new message goes every 3 s until one arrives: right after a failover, B's
 * subscriber may still be reconnecting to the new master, and pub/sub does not keep what it
 * missed (the web app refetches on reconnect). Without it, the first one must arrive.
 */
async function deliveredAcross(text: string, resend = false): Promise<void> {
  const seen: string[] = [];
  const onMessage = (e: { message: { text: string } }) => seen.push(e.message.text);
  socket!.on('message.created', onMessage);
  try {
    const deadline = Date.now() + 30_000;
    for (let n = 1; ; n++) {
      const sent = resend ? `${text} #${n}` : text;
      const r = await a.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'sms',
        from: `+${++phone}`,
        text: sent,
      });
      expect(r.status).toBeLessThan(300);
      const until = resend ? Math.min(deadline, Date.now() + 3000) : deadline;
      while (Date.now() < until && !seen.some((t) => t.startsWith(text)))
        await new Promise((done) => setTimeout(done, 25));
      if (seen.some((t) => t.startsWith(text))) return;
      if (Date.now() >= deadline)
        throw new Error(`"${text}" never reached the agent on B (heard: ${seen.join(' | ')})`);
    }
  } finally {
    socket!.off('message.created', onMessage);
  }
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
    // Accepted once B announces the agent's presence: it has joined the rooms by then (the
    // connect event comes before the gateway has checked the token).
    await new Promise<void>((resolve, reject) => {
      socket!.on('presence', (e: { agentId: string }) => {
        if (e.agentId === agent.id) resolve();
      });
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
    await deliveredAcross('across instances after the failover', true);
    const client = redis.client(redis.replicaPort);
    try {
      expect((await client.keys(`{${prefix}}:*`)).length).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });
});
