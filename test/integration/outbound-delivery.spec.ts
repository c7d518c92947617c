import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { OutboundService, type DirectSend } from '../../src/delivery/outbound.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * Sends outside a conversation share one statement (check, message, send job and fallback
 * check): each caller still gets its own answer, refusals insert nothing, and an idempotency
 * key makes one message however the requests fall into batches.
 */
describe(OutboundService.name, () => {
  let app: TestApp;
  let db: DataSource;
  let outbound: OutboundService;
  let seq = 0;

  beforeAll(async () => {
    app = await startTestApp();
    db = app.hub.app.get(DataSource);
    outbound = app.hub.app.get(OutboundService);
  });
  afterAll(() => app.close());

  const phone = () => `+861390077${String(1000 + ++seq).padStart(4, '0')}`;

  async function customer(identities: Array<{ channel: string; address: string }>) {
    const r = await app.api('POST', '/api/v1/customers', {
      displayName: `Out ${++seq}`,
      identities,
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  }

  async function consent(customerId: string, purpose: string, status: 'granted' | 'revoked') {
    const r = await app.api('POST', `/api/v1/customers/${customerId}/consents`, {
      channel: 'sms',
      purpose,
      status,
      source: 'api',
    });
    expect(r.status).toBe(201);
  }

  const sms = (customerId: string, extra: Partial<DirectSend> = {}): DirectSend => ({
    customerId,
    channel: 'sms',
    text: 'Your parcel is on its way',
    purpose: 'transactional',
    ...extra,
  });

  it('answers each of many concurrent sends on its own', async () => {
    const ok = await customer([{ channel: 'sms', address: phone() }]);
    const emailOnly = await customer([{ channel: 'email', address: `o${seq}@example.com` }]);
    const revoked = await customer([{ channel: 'sms', address: phone() }]);
    await consent(revoked, 'transactional', 'revoked');
    const key = `batch-${randomUUID()}`;
    const checkAt = new Date(Date.now() + 3_600_000);

    const results = await Promise.allSettled([
      outbound.send(sms(ok, { fallbackCheckAt: checkAt })),
      outbound.send(sms(emailOnly)),
      outbound.send(sms(revoked)),
      outbound.send(sms(ok, { purpose: 'marketing' })),
      outbound.send(sms(ok, { idempotencyKey: key })),
      outbound.send(sms(ok, { idempotencyKey: key })),
      outbound.send(sms(ok, { idempotencyKey: key })),
    ]);
    const outcome = results.map((r) =>
      r.status === 'fulfilled' ? r.value : (r.reason as Error).message,
    );
    expect(outcome[1]).toBe('channel: the customer has no sms identity');
    expect(outcome[2]).toBe('channel: the customer revoked transactional consent on sms');
    expect(outcome[3]).toBe('channel: no marketing consent on sms');

    const first = outcome[0] as { message: { id: string; address: string }; created: boolean };
    expect(first.created).toBe(true);
    const keyed = outcome.slice(4) as Array<{ message: { id: string }; created: boolean }>;
    expect(new Set(keyed.map((k) => k.message.id)).size).toBe(1);
    expect(keyed.filter((k) => k.created)).toHaveLength(1);

    const rows = (await db.query(
      `SELECT customer_id, count(*)::int AS n FROM messages WHERE customer_id = ANY($1) GROUP BY 1`,
      [[ok, emailOnly, revoked]],
    )) as Array<{ customer_id: string; n: number }>;
    expect(rows).toEqual([{ customer_id: ok, n: 2 }]);

    const jobs = (await db.query(
      `SELECT queue, name, dedupe_key, run_at FROM outbox_jobs WHERE payload->>'messageId' = $1 ORDER BY name`,
      [first.message.id],
    )) as Array<{ queue: string; name: string; dedupe_key: string; run_at: Date }>;
    expect(jobs.map((j) => [j.queue, j.name, j.dedupe_key])).toEqual([
      ['timers', 'fallback-check', `fallback:${first.message.id}:0`],
      ['delivery-sms', 'send', `send:${first.message.id}`],
    ]);
    expect(jobs[0].run_at.getTime()).toBe(checkAt.getTime());

    await eventually(async () => {
      const [m] = (await db.query(`SELECT status FROM messages WHERE id = $1`, [
        first.message.id,
      ])) as Array<{ status: string }>;
      return m.status === 'delivered';
    }, 'the first message to be delivered');
    const [attempt] = (await db.query(
      `SELECT a.status, a.address, j.status AS job_status FROM delivery_attempts a
       JOIN outbox_jobs j ON j.dedupe_key = 'send:' || a.message_id WHERE a.message_id = $1`,
      [first.message.id],
    )) as Array<{ status: string; address: string; job_status: string }>;
    expect(attempt).toEqual({
      status: 'delivered',
      address: first.message.address,
      job_status: 'done',
    });
  });

  it('returns the first message to a retry that would be refused now', async () => {
    const id = await customer([{ channel: 'sms', address: phone() }]);
    const body = {
      customerId: id,
      topic: 'orders',
      urgency: 'normal',
      purpose: 'transactional',
      template: 'order-shipped',
      data: { order: { id: 'A-1', carrier: 'SF', trackingUrl: 'https://t.example/A' } },
      idempotencyKey: `retry-${randomUUID()}`,
    };
    const first = await app.api('POST', '/api/v1/messages', body);
    expect(first.status).toBe(202);
    await consent(id, 'transactional', 'revoked');
    const again = await app.api('POST', '/api/v1/messages', body);
    expect(again.status).toBe(202);
    expect(again.body.messageId).toBe(first.body.messageId);
    expect(again.body.route.channel).toBe('sms');
    const fresh = await app.api('POST', '/api/v1/messages', { ...body, idempotencyKey: undefined });
    expect(fresh.status).toBe(422);
  });
});
