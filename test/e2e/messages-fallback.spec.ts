import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

// Email stays 'sent' (never delivered) in this app; sms is delivered at once. Normal: 1 s per fallback step.
let app: TestApp;
let db: DataSource;
let seq = 0;
const order = { id: 'B-2002', carrier: 'SF', trackingUrl: 'https://t.example/B', total: 12.5, currency: 'CNY', shippedAt: '2025-03-10T04:00:00Z' };

async function newCustomer(): Promise<{ id: string; phone: string }> {
  const phone = `+861390013${String(1000 + ++seq).padStart(4, '0')}`;
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: `Fallback ${seq}`,
    identities: [{ channel: 'email', address: `f${seq}-${randomUUID().slice(0, 6)}@example.com` }, { channel: 'sms', address: phone }],
  });
  expect(r.status).toBe(201);
  return { id: r.body.id as string, phone };
}

async function fallbackJob(messageId: string, step: number) {
  const rows = (await db.query(`SELECT status, run_at FROM outbox_jobs WHERE dedupe_key = $1`, [`fallback:${messageId}:${step}`])) as Array<{ status: string; run_at: Date }>;
  return rows[0] ?? null;
}

beforeAll(async () => {
  app = await startTestApp({ SANDBOX_BEHAVIOUR: 'email=sent-only', FALLBACK_NORMAL_SECONDS: '1', FALLBACK_HIGH_SECONDS: '1' });
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
});

describe('FallbackService', () => {
  it('sends on the next channel when the first is not delivered in time, through a BullMQ delayed job', async () => {
    const c = await newCustomer();
    const r = await app.api('POST', '/api/v1/messages', { customerId: c.id, topic: 'orders', urgency: 'normal', purpose: 'transactional', template: 'order-shipped', data: { order } });
    expect(r.status).toBe(202);
    expect(r.body.route.channel).toBe('email');
    expect(r.body.route.fallbacks).toEqual([expect.objectContaining({ channel: 'sms', afterSeconds: 1, unless: 'delivered' })]);

    await eventually(async () => (await app.api('GET', `/api/v1/messages/${r.body.messageId}`)).body.status === 'sent', 'the email to be sent');
    const job = await fallbackJob(r.body.messageId, 0);
    expect(job?.status).toBe('pending');
    expect(new Date(job!.run_at).getTime() - new Date(r.body.route.sendAt).getTime()).toBe(1000);

    const original = await eventually(async () => {
      const m = await app.api('GET', `/api/v1/messages/${r.body.messageId}`);
      return m.body.fallbackMessages?.length === 1 ? m.body : null;
    }, 'the sms fallback', 15_000);
    const follow = original.fallbackMessages[0];
    expect(follow.channel).toBe('sms');
    // Due one second after the decision (route.sendAt), however long the POST itself took.
    expect(new Date(follow.createdAt).getTime() - new Date(r.body.route.sendAt).getTime()).toBeGreaterThanOrEqual(950);
    expect(original.metadata.fallbackLog[0]).toEqual(expect.objectContaining({ step: 0, channel: 'sms', reason: 'fallback to sms: email message sent, not delivered within 1s' }));

    const sms = await eventually(async () => {
      const m = await app.api('GET', `/api/v1/messages/${follow.id}`);
      return m.body.status === 'delivered' ? m.body : null;
    }, 'the sms to be delivered');
    expect(sms.metadata.fallbackOf).toBe(r.body.messageId);
    expect(sms.route.reasons).toEqual(['fallback to sms: email message sent, not delivered within 1s']);
    expect(sms.text).toContain('B-2002');
    expect(sms.attempts).toEqual([{ channel: 'sms', status: 'delivered', at: expect.any(String) }]);
  });

  it('does nothing when the message was delivered in time', async () => {
    const c = await newCustomer();
    // high: sms first (delivered at once by the sandbox), email as the fallback.
    const r = await app.api('POST', '/api/v1/messages', { customerId: c.id, topic: 'orders', urgency: 'high', purpose: 'transactional', template: 'order-shipped', data: { order } });
    expect(r.status).toBe(202);
    expect(r.body.route.channel).toBe('sms');
    expect(r.body.route.fallbacks.map((f: { channel: string }) => f.channel)).toContain('email');
    await eventually(async () => (await fallbackJob(r.body.messageId, 0))?.status === 'done', 'the fallback check to run', 15_000);
    const m = await app.api('GET', `/api/v1/messages/${r.body.messageId}`);
    expect(m.body.status).toBe('delivered');
    expect(m.body.fallbackMessages).toEqual([]);
    expect(m.body.metadata.fallbackLog).toBeUndefined();
  });
});
