import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let db: DataSource;
let seq = 0;

const order = {
  id: 'A-1001',
  carrier: 'SF',
  trackingUrl: 'https://t.example/A',
  total: 12.5,
  currency: 'CNY',
  shippedAt: '2025-03-10T04:00:00Z',
};

async function newCustomer(
  identities: Array<{ channel: string; address: string }>,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: `Customer ${++seq}`,
    identities,
    ...extra,
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
const email = () => `c${++seq}-${randomUUID().slice(0, 6)}@example.com`;
const phone = () => `+861380013${String(1000 + ++seq).padStart(4, '0')}`;

function intent(customerId: string, extra: Record<string, unknown> = {}) {
  return {
    customerId,
    topic: 'orders',
    urgency: 'normal',
    purpose: 'transactional',
    template: 'order-shipped',
    data: { order },
    ...extra,
  };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const r = (await db.query(sql, params)) as Array<{ n: number }>;
  return r[0].n;
}

beforeAll(async () => {
  app = await startTestApp();
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
});

describe('POST /api/v1/messages', () => {
  it('routes by the default ranking, answers 202 with the route and its reasons, and delivers through the sandbox', async () => {
    const to = email();
    const id = await newCustomer([
      { channel: 'email', address: to },
      { channel: 'sms', address: phone() },
    ]);
    const r = await app.api('POST', '/api/v1/messages', intent(id));
    expect(r.status).toBe(202);
    expect(r.body.messageId).toEqual(expect.any(String));
    expect(r.body.route.channel).toBe('email');
    expect(r.body.route.address).toBe(to);
    expect(r.body.route.reasons[0]).toBe('email chosen: default ranking for normal');
    expect(r.body.route.reasons).toContain('wechat excluded: no address');
    expect(r.body.route.fallbacks).toEqual([
      expect.objectContaining({ channel: 'sms', afterSeconds: 3600 }),
    ]);

    const msg = await eventually(async () => {
      const m = await app.api('GET', `/api/v1/messages/${r.body.messageId}`);
      return m.body.status === 'delivered' ? m.body : null;
    }, 'the message to be delivered');
    expect(msg.attempts).toEqual([
      { channel: 'email', status: 'delivered', at: expect.any(String) },
    ]);
    expect(msg.subject).toContain('A-1001');
    const outbox = await app.api(
      'GET',
      `/api/v1/sandbox/outbox?channel=email&to=${encodeURIComponent(to)}`,
    );
    expect(JSON.stringify(outbox.body)).toContain('A-1001');
  });

  it('follows the preference matrix over the default ranking', async () => {
    const id = await newCustomer([
      { channel: 'email', address: email() },
      { channel: 'sms', address: phone() },
    ]);
    const p = await app.api('PUT', `/api/v1/customers/${id}/preferences`, {
      matrix: [{ topic: 'orders', urgency: '*', channels: ['sms'] }],
    });
    expect(p.status).toBe(200);
    const r = await app.api('POST', '/api/v1/messages', intent(id));
    expect(r.status).toBe(202);
    expect(r.body.route.channel).toBe('sms');
    expect(r.body.route.reasons[0]).toBe('sms chosen: preference matrix for orders/normal');
  });

  it('answers 422 listing the reasons when no channel is allowed', async () => {
    const id = await newCustomer([{ channel: 'email', address: email() }]);
    const r = await app.api(
      'POST',
      '/api/v1/messages',
      intent(id, {
        purpose: 'marketing',
        template: 'welcome',
        data: {
          offer: { percent: 10, code: 'X', until: '2030-01-01' },
          unsubscribeUrl: 'https://u.example',
        },
      }),
    );
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('email excluded: no consent granted for marketing');
    expect(r.body.details.reasons).toEqual(
      expect.arrayContaining([
        'email excluded: no consent granted for marketing',
        'sms excluded: no address',
      ]),
    );
  });

  it('answers 422 for an unknown template and for a missing variable, naming it', async () => {
    const id = await newCustomer([{ channel: 'sms', address: phone() }]);
    const unknown = await app.api(
      'POST',
      '/api/v1/messages',
      intent(id, { template: 'no-such-template' }),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toContain('unknown template "no-such-template"');
    const missing = await app.api(
      'POST',
      '/api/v1/messages',
      intent(id, { data: { order: { id: 'A-1' } } }),
    );
    expect(missing.status).toBe(422);
    expect(missing.body.message).toContain('missing variable "order.carrier"');
    expect(
      await count(`SELECT count(*)::int AS n FROM messages WHERE customer_id = $1`, [id]),
    ).toBe(0);
  });

  it('answers 400 naming the field for a bad body', async () => {
    const r = await app.api('POST', '/api/v1/messages', {
      customerId: randomUUID(),
      topic: 'x',
      urgency: 'urgent',
      purpose: 'transactional',
      template: 'order-shipped',
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('urgency');
  });

  it('answers 400 saying what a preference row may hold', async () => {
    const id = await newCustomer([{ channel: 'email', address: email() }]);
    const r = await app.api('PUT', `/api/v1/customers/${id}/preferences`, {
      matrix: [{ topic: '*', urgency: 'urgent', channels: ['pigeon'] }],
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(
      'matrix.0.urgency: must be one of low, normal, high, critical or *',
    );
    expect(r.body.message).toMatch(/matrix\.0\.channels\.0: .*email/);
  });

  it('returns the same message for the same idempotency key, also for 10 concurrent requests', async () => {
    const id = await newCustomer([{ channel: 'email', address: email() }]);
    const key = `idem-${randomUUID()}`;
    const first = await app.api('POST', '/api/v1/messages', intent(id, { idempotencyKey: key }));
    const again = await app.api('POST', '/api/v1/messages', intent(id, { idempotencyKey: key }));
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.messageId).toBe(first.body.messageId);
    expect(again.body.route.channel).toBe('email');

    const key2 = `idem-${randomUUID()}`;
    const all = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.api('POST', '/api/v1/messages', intent(id, { idempotencyKey: key2 })),
      ),
    );
    expect(all.map((r) => r.status)).toEqual(Array(10).fill(202));
    expect(new Set(all.map((r) => r.body.messageId)).size).toBe(1);
    expect(
      await count(`SELECT count(*)::int AS n FROM messages WHERE idempotency_key = $1`, [key2]),
    ).toBe(1);
  });

  it('never lets a forced channel bypass consent', async () => {
    const id = await newCustomer([
      { channel: 'email', address: email() },
      { channel: 'sms', address: phone() },
    ]);
    const c = await app.api('POST', `/api/v1/customers/${id}/consents`, {
      channel: 'sms',
      purpose: 'transactional',
      status: 'revoked',
      source: 'api',
    });
    expect(c.status).toBe(201);
    const r = await app.api('POST', '/api/v1/messages', intent(id, { channel: 'sms' }));
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('sms excluded: consent revoked for transactional');
    const ok = await app.api('POST', '/api/v1/messages', intent(id, { channel: 'email' }));
    expect(ok.status).toBe(202);
    expect(ok.body.route.reasons[0]).toBe('email chosen: forced by the caller');
  });

  it('delays a normal message to the end of quiet hours but sends a critical one now', async () => {
    const id = await newCustomer(
      [
        { channel: 'email', address: email() },
        { channel: 'sms', address: phone() },
      ],
      { timezone: 'UTC' },
    );
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    const hour = new Date().getUTCHours();
    await app.api('PUT', `/api/v1/customers/${id}/preferences`, {
      matrix: [],
      quietHours: { start: hh(hour - 1), end: hh(hour + 2) },
    });
    const before = Date.now();
    const normal = await app.api('POST', '/api/v1/messages', intent(id));
    expect(normal.status).toBe(202);
    expect(new Date(normal.body.route.sendAt).getTime()).toBeGreaterThan(before + 60 * 60_000);
    expect(normal.body.route.reasons.join(' ')).toContain('quiet hours');
    const critical = await app.api('POST', '/api/v1/messages', intent(id, { urgency: 'critical' }));
    expect(critical.status).toBe(202);
    expect(Math.abs(new Date(critical.body.route.sendAt).getTime() - Date.now())).toBeLessThan(
      10_000,
    );
    expect(critical.body.route.reasons).toContain(
      `critical: sent now despite quiet hours ${hh(hour - 1)}-${hh(hour + 2)} UTC`,
    );
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/messages/${critical.body.messageId}`)).body.status ===
        'delivered',
      'the critical message to go out',
    );
    const waiting = await app.api('GET', `/api/v1/messages/${normal.body.messageId}`);
    expect(waiting.body.status).toBe('queued');
    expect(waiting.body.attempts).toEqual([]);
  });

  it('suppresses a queued message whose consent is revoked before it leaves', async () => {
    const id = await newCustomer([{ channel: 'email', address: email() }], { timezone: 'UTC' });
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    const hour = new Date().getUTCHours();
    await app.api('PUT', `/api/v1/customers/${id}/preferences`, {
      matrix: [],
      quietHours: { start: hh(hour - 1), end: hh(hour + 2) },
    });
    const sent = await app.api('POST', '/api/v1/messages', intent(id));
    expect(sent.status).toBe(202);
    const revoke = await app.api('POST', `/api/v1/customers/${id}/consents`, {
      channel: 'email',
      purpose: 'transactional',
      status: 'revoked',
      source: 'unsubscribe-link',
    });
    expect(revoke.status).toBe(201);
    // The quiet-hours job is due in hours: let the window end (its outbox row falls due) and run it as the queue would.
    const jobs = (await db.query(
      `UPDATE outbox_jobs SET run_at = now() WHERE dedupe_key = $1 AND status = 'pending' RETURNING id`,
      [`send:${sent.body.messageId}`],
    )) as [Array<{ id: string }>, number];
    expect(jobs[0]).toHaveLength(1);
    expect(await app.hub.app.get(JobQueueService).run(jobs[0][0].id)).toBe('done');
    const msg = await app.api('GET', `/api/v1/messages/${sent.body.messageId}`);
    expect(msg.body.status).toBe('suppressed');
    expect(msg.body.metadata.delivery.reason).toBe('consent revoked for transactional on email');
    expect(
      await count(`SELECT count(*)::int AS n FROM sandbox_outbox WHERE message_id = $1`, [
        sent.body.messageId,
      ]),
    ).toBe(0);
  });
});

describe('POST /api/v1/routing/preview', () => {
  it('answers the route and the rendered message and sends nothing', async () => {
    const id = await newCustomer([{ channel: 'sms', address: phone() }]);
    const outboxBefore = await count(`SELECT count(*)::int AS n FROM sandbox_outbox`);
    const messagesBefore = await count(`SELECT count(*)::int AS n FROM messages`);
    const r = await app.api('POST', '/api/v1/routing/preview', intent(id, { urgency: 'high' }));
    expect(r.status).toBe(200);
    expect(r.body.route.channel).toBe('sms');
    expect(r.body.rendered).toEqual(
      expect.objectContaining({ channel: 'sms', text: expect.stringContaining('A-1001') }),
    );
    expect(r.body.rendered.segments.segments).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM sandbox_outbox`)).toBe(outboxBefore);
    expect(await count(`SELECT count(*)::int AS n FROM messages`)).toBe(messagesBefore);
  });
});
