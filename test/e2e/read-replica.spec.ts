import { randomBytes } from 'crypto';
import { Client } from 'pg';
import { PG_ADMIN_URL, usePostgres } from '../support/services';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/**
 * DATABASE_REPLICA_URL: the replica here is a copy of the primary taken once (it never catches
 * up, a replica with infinite lag) whose customers are renamed "Replica ...". A route that reads
 * the replica shows those names and misses what was written after the copy; a route that reads
 * the primary shows the original names and the latest writes.
 */
let primary: TestDatabase;
let replicaUrl: string;
let replicaName: string;
let app: TestApp | undefined;
const prefix = `tr${randomBytes(4).toString('hex')}`;

async function admin<T>(fn: (c: Client) => Promise<T>, url = PG_ADMIN_URL): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function inbound(from: string, text: string): Promise<string> {
  const r = await app!.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text });
  expect(r.status).toBeLessThan(300);
  return r.body.conversation.id as string;
}

const order = {
  id: 'A-1',
  carrier: 'SF',
  trackingUrl: 'https://t.example/A',
  total: 1,
  currency: 'CNY',
  shippedAt: '2025-03-10T04:00:00Z',
};

/** A routed send (what the policy simulator replays) to the customer of a conversation. */
async function routedSend(conversationId: string): Promise<void> {
  const c = await app!.api('GET', `/api/v1/conversations/${conversationId}`);
  const r = await app!.api('POST', '/api/v1/messages', {
    customerId: c.body.customer.id,
    topic: 'orders',
    urgency: 'normal',
    purpose: 'transactional',
    template: 'order-shipped',
    data: { order },
  });
  expect([r.status, r.body.message]).toEqual([202, undefined]);
}

const names = (
  items: Array<{ name?: string; displayName?: string; customer?: { displayName: string } }>,
) => items.map((i) => i.name ?? i.displayName ?? i.customer?.displayName ?? '?').sort();

let seeded: string;

beforeAll(async () => {
  if (!usePostgres()) throw new Error('this test needs PostgreSQL at 127.0.0.1:5432');
  primary = await createTestDatabase();
  // Written before the copy: on both.
  app = await startTestApp({}, { db: primary, prefix });
  seeded = await inbound('+8613500135001', 'my parcel is late');
  await inbound('+8613500135002', 'where is my parcel');
  const reply = await app.api('POST', `/api/v1/conversations/${seeded}/replies`, {
    text: 'on its way',
  });
  expect(reply.status).toBeLessThan(300);
  await routedSend(seeded);
  await eventually(async () => {
    const out = await app!.api('GET', '/api/v1/sandbox/outbox?channel=sms&to=%2B8613500135001');
    return out.body.items.length > 0;
  }, 'the reply to be sent');
  await app.close();
  app = undefined;
  replicaName = `${new URL(primary.url).pathname.slice(1)}_replica`;
  await admin((c) =>
    c.query(`CREATE DATABASE ${replicaName} TEMPLATE ${new URL(primary.url).pathname.slice(1)}`),
  );
  const u = new URL(primary.url);
  u.pathname = `/${replicaName}`;
  replicaUrl = u.toString();
  await admin(
    (c) => c.query(`UPDATE customers SET display_name = 'Replica ' || display_name`),
    replicaUrl,
  );
});
afterAll(async () => {
  await app?.close();
  if (replicaName)
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${replicaName} WITH (FORCE)`));
  await primary?.drop();
});

describe('DATABASE_REPLICA_URL', () => {
  it('serves reports, search and exports from the replica, and what was just written from the primary', async () => {
    app = await startTestApp({ DATABASE_REPLICA_URL: replicaUrl }, { db: primary, prefix });
    try {
      // Written after the copy: on the primary only.
      const late = await inbound('+8613500135003', 'parcel never came');
      const reply = await app.api('POST', `/api/v1/conversations/${late}/replies`, {
        text: 'sorry, resending',
      });
      expect(reply.status).toBeLessThan(300);
      await routedSend(late);

      // Contacts list and search, and their CSV export: the replica.
      const contacts = await app.api('GET', '/api/v1/contacts');
      expect(contacts.status).toBe(200);
      expect(contacts.body.total).toBe(2);
      for (const n of names(contacts.body.items)) expect(n).toMatch(/^Replica /);
      const csv = await app.api('GET', '/api/v1/contacts.csv');
      expect(csv.status).toBe(200);
      expect(String(csv.body)).toMatch(/Replica /);
      expect(String(csv.body)).not.toMatch(/8613500135003/);

      // Inbox search: the replica (the late conversation is not there yet).
      const found = await app.api('GET', `/api/v1/conversations?q=parcel`);
      expect(found.status).toBe(200);
      expect(found.body.items).toHaveLength(2);
      for (const n of names(found.body.items)) expect(n).toMatch(/^Replica /);

      // Service KPIs: the replica holds two conversations, the primary three.
      const kpis = await app.api('GET', '/api/v1/analytics/service?by=agent');
      expect(kpis.status).toBe(200);
      const counted = (kpis.body.groups as Array<{ conversations: number }>).reduce(
        (n, g) => n + g.conversations,
        0,
      );
      expect(counted).toBe(2);

      // The policy simulator's past sends: the replica holds one send, the primary two.
      const sim = await app.api('POST', '/api/v1/routing/simulate', {
        days: 1,
        proposed: { defaultRanking: { normal: ['email', 'sms', 'wechat', 'livechat'] } },
      });
      expect([sim.status, sim.body.message]).toEqual([200, undefined]);
      expect(sim.body.inWindow).toBe(1);

      // The inbox list and the conversation just written to: the primary.
      const list = await app.api('GET', '/api/v1/conversations');
      expect(list.body.items).toHaveLength(3);
      for (const n of names(list.body.items)) expect(n).not.toMatch(/^Replica /);
      const detail = await app.api('GET', `/api/v1/conversations/${late}`);
      expect(detail.status).toBe(200);
      const texts = (detail.body.messages as Array<{ text: string | null }>).map((m) => m.text);
      expect(texts).toEqual(expect.arrayContaining(['parcel never came', 'sorry, resending']));
      expect(detail.body.customer.displayName).not.toMatch(/^Replica /);
      const old = await app.api('GET', `/api/v1/conversations/${seeded}`);
      expect(old.body.customer.displayName).not.toMatch(/^Replica /);

      // /health shows the replica (a second primary here, so no lag).
      const health = await app.api('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.details.replica).toEqual({
        status: 'up',
        standby: false,
        lagSeconds: null,
      });
    } finally {
      await app.close();
      app = undefined;
    }
  });

  it('reads everything from the primary when unset', async () => {
    app = await startTestApp({}, { db: primary, prefix });
    try {
      const contacts = await app.api('GET', '/api/v1/contacts');
      expect(contacts.body.total).toBe(3);
      for (const n of names(contacts.body.items)) expect(n).not.toMatch(/^Replica /);
      const found = await app.api('GET', `/api/v1/conversations?q=parcel`);
      expect(found.body.items).toHaveLength(3);
      for (const n of names(found.body.items)) expect(n).not.toMatch(/^Replica /);
      const sim = await app.api('POST', '/api/v1/routing/simulate', {
        days: 1,
        proposed: { defaultRanking: { normal: ['email', 'sms', 'wechat', 'livechat'] } },
      });
      expect(sim.body.inWindow).toBe(2);
      const health = await app.api('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.details.replica).toBeUndefined();
    } finally {
      await app.close();
      app = undefined;
    }
  });

  it('keeps writing, and reads from the primary, while the replica is down', async () => {
    // Nothing listens there: every replica connection is refused.
    const down = new URL(replicaUrl);
    down.port = '57150';
    app = await startTestApp({ DATABASE_REPLICA_URL: down.toString() }, { db: primary, prefix });
    try {
      // The first read finds the replica refusing, and goes to the primary.
      const first = await app.api('GET', '/api/v1/contacts');
      expect([first.status, first.body.total]).toEqual([200, 3]);
      const health = await app.api('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.details.replica).toMatchObject({
        status: 'degraded',
        message: expect.stringMatching(/reads go to the primary/),
      });
      const id = await inbound('+8613500135004', 'a parcel while the replica is down');
      const reply = await app.api('POST', `/api/v1/conversations/${id}/replies`, { text: 'noted' });
      expect(reply.status).toBeLessThan(300);
      const contacts = await app.api('GET', '/api/v1/contacts');
      expect([contacts.status, contacts.body.total]).toEqual([200, 4]);
      const found = await app.api('GET', `/api/v1/conversations?q=parcel`);
      expect([found.status, found.body.items.length]).toEqual([200, 4]);
      const csv = await app.api('GET', '/api/v1/contacts.csv');
      expect(csv.status).toBe(200);
      expect((await app.api('GET', '/api/v1/analytics/service?by=agent')).status).toBe(200);
    } finally {
      await app.close();
      app = undefined;
    }
  });
});
