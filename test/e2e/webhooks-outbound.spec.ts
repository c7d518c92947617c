import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import { Webhook } from 'standardwebhooks';
import { DomainEvents } from '../../src/events/domain-events';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * Outbound webhooks (issue 21): every delivery verified with the Standard Webhooks library,
 * retried with backoff, logged, replayed, deduplicated; a subscription failing in a row is
 * disabled and its owner told.
 */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let app: TestApp;
let receiver: Server;
let base = '';
const received: Received[] = [];
/** Per path: the statuses to answer, in turn (then 200). */
const script = new Map<string, number[]>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      const queue = script.get(path) ?? [];
      const status = queue.length ? queue.shift()! : 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status}`);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  app = await startTestApp({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_DISABLE_AFTER_FAILURES: '2',
  });
});
afterAll(async () => {
  await app?.close();
  await new Promise((r) => receiver.close(r));
});

async function subscribe(path: string, events: string[]) {
  const r = await app.api('POST', '/api/v1/webhooks', { url: `${base}${path}`, events });
  expect(r.status).toBe(201);
  return r.body as { id: string; secret: string };
}
const at = (path: string) => received.filter((r) => r.path === path);
function verified(secret: string, r: Received) {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }) as { type: string; version: string; timestamp: string; data: Record<string, any> };
}

describe('Outbound webhooks', () => {
  it('delivers each subscribed event signed per Standard Webhooks, and logs it', async () => {
    const sub = await subscribe('/main', ['conversation.created', 'message.received']);
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613800138111',
      text: '你好，订单什么时候发货？',
    });
    expect(inbound.status).toBe(201);
    await eventually(async () => at('/main').length >= 2, 'two deliveries');
    const bodies = at('/main').map((r) => verified(sub.secret, r));
    expect(bodies.map((b) => b.type).sort()).toEqual(['conversation.created', 'message.received']);
    const msg = bodies.find((b) => b.type === 'message.received')!;
    expect(msg.version).toBe('2026-12-01');
    expect(msg.data.message).toMatchObject({
      id: inbound.body.id,
      channel: 'sms',
      text: '你好，订单什么时候发货？',
    });
    // A wrong secret does not verify.
    const other = new Webhook(`whsec_${Buffer.from('x'.repeat(24)).toString('base64')}`);
    const r0 = at('/main')[0];
    expect(() =>
      other.verify(r0.body, {
        'webhook-id': String(r0.headers['webhook-id']),
        'webhook-timestamp': String(r0.headers['webhook-timestamp']),
        'webhook-signature': String(r0.headers['webhook-signature']),
      }),
    ).toThrow();

    const log = await eventually(async () => {
      const r = await app.api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
      return r.body.items.length === 2 && r.body.items.every((d: any) => d.status === 'delivered')
        ? r.body
        : null;
    }, 'both deliveries logged as delivered');
    expect(log.items.map((d: any) => d.id).sort()).toEqual(
      at('/main')
        .map((r) => r.headers['webhook-id'])
        .sort(),
    );
    expect(log.items[0]).toMatchObject({ attempts: 1, responseStatus: 200, error: null });
    await app.api('DELETE', `/api/v1/webhooks/${sub.id}`);
  });

  it('retries a failed delivery with the same webhook-id, and replays one on demand', async () => {
    script.set('/flaky', [500]);
    const sub = await subscribe('/flaky', ['customer.merged']);
    app.hub.app.get(DomainEvents).emit('customer.merged', { survivorId: 'a1', duplicateId: 'b1' });
    await eventually(async () => at('/flaky').length >= 2, 'a retry after the 500', 15_000);
    const [first, second] = at('/flaky');
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(verified(sub.secret, second).data).toEqual({ survivorId: 'a1', duplicateId: 'b1' });
    const id = String(first.headers['webhook-id']);
    const delivered = await eventually(async () => {
      const r = await app.api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
      const d = r.body.items.find((x: any) => x.id === id);
      return d?.status === 'delivered' ? d : null;
    }, 'the delivery delivered on its second attempt');
    expect(delivered.attempts).toBe(2);
    expect(delivered.log.map((l: any) => l.status)).toEqual([500, 200]);

    const replay = await app.api('POST', `/api/v1/webhooks/${sub.id}/deliveries/${id}/replay`);
    expect(replay.status).toBe(202);
    await eventually(async () => at('/flaky').length >= 3, 'the replay');
    expect(at('/flaky')[2].headers['webhook-id']).toBe(id);
    expect(verified(sub.secret, at('/flaky')[2]).type).toBe('customer.merged');
  });

  it('delivers one event once, however often it is emitted', async () => {
    const sub = await subscribe('/once', ['customer.erased']);
    const events = app.hub.app.get(DomainEvents);
    for (let i = 0; i < 3; i++) events.emit('customer.erased', { customerId: 'c-once' });
    await eventually(async () => at('/once').length >= 1, 'the delivery');
    const log = await eventually(async () => {
      const r = await app.api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
      return r.body.items.length ? r.body : null;
    }, 'the log');
    expect(log.items).toHaveLength(1);
    expect(at('/once')).toHaveLength(1);
  });

  it('disables a subscription whose deliveries keep failing, and tells its creator', async () => {
    script.set('/down', Array(20).fill(503));
    const sub = await subscribe('/down', ['customer.erased']);
    const events = app.hub.app.get(DomainEvents);
    events.emit('customer.erased', { customerId: 'down-1' });
    events.emit('customer.erased', { customerId: 'down-2' });
    const list = await eventually(
      async () => {
        const r = await app.api('GET', '/api/v1/webhooks');
        const s = r.body.items.find((x: any) => x.id === sub.id);
        return s && !s.active ? s : null;
      },
      'the subscription disabled',
      30_000,
    );
    expect(list.disabledReason).toMatch(
      /2 deliveries in a row failed; the last: the receiver answered 503/,
    );
    expect(at('/down')).toHaveLength(6);
    // The notice is written by a listener of the disable event, just after the disable commits.
    const note = await eventually(async () => {
      const notes = await app.api('GET', '/api/v1/notifications');
      return notes.body.items.find((n: any) => n.kind === 'webhook_disabled') ?? null;
    }, 'the notice to its creator');
    expect(note.data).toMatchObject({ url: `${base}/down`, subscriptionId: sub.id });
    const log = await app.api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
    expect(log.body.items.map((d: any) => [d.status, d.attempts])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    const refused = await app.api(
      'POST',
      `/api/v1/webhooks/${sub.id}/deliveries/${log.body.items[0].id}/replay`,
    );
    expect([refused.status, refused.body.message]).toEqual([
      409,
      expect.stringMatching(/is disabled/),
    ]);
    // Enabled again, it starts a fresh count and delivers.
    script.set('/down', []);
    expect(
      (await app.api('PATCH', `/api/v1/webhooks/${sub.id}`, { active: true })).body,
    ).toMatchObject({
      active: true,
      failuresInRow: 0,
      disabledReason: null,
    });
    events.emit('customer.erased', { customerId: 'down-3' });
    await eventually(async () => at('/down').length === 7, 'a delivery after enabling');
  });

  it('sends nothing to a deleted subscription', async () => {
    const sub = await subscribe('/gone', ['customer.erased']);
    expect((await app.api('DELETE', `/api/v1/webhooks/${sub.id}`)).status).toBe(204);
    const probe = await subscribe('/probe', ['customer.erased']);
    app.hub.app.get(DomainEvents).emit('customer.erased', { customerId: 'after-delete' });
    await eventually(async () => at('/probe').length === 1, 'the other subscription delivered');
    expect(at('/gone')).toHaveLength(0);
    expect((await app.api('GET', `/api/v1/webhooks/${sub.id}/deliveries`)).status).toBe(404);
    await app.api('DELETE', `/api/v1/webhooks/${probe.id}`);
  });

  it.each([
    [{ url: 'ftp://example.com/x', events: ['message.received'] }, /url: must be http or https/],
    [{ url: 'https://u:p@example.com/x', events: ['message.received'] }, /user name or password/],
    [{ url: 'not a url', events: ['message.received'] }, /url: not a valid URL/],
    [{ url: 'https://example.com/x', events: ['message.sent'] }, /event type is one of/],
    [{ url: 'https://example.com/x', events: [] }, /at least one event type/],
  ])('answers 400 naming the problem for %j', async (body, message) => {
    const r = await app.api('POST', '/api/v1/webhooks', body);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(message);
  });

  it('lists the event types and the payload version', async () => {
    const r = await app.api('GET', '/api/v1/webhooks/event-types');
    expect(r.body.version).toBe('2026-12-01');
    expect(r.body.types).toContain('conversation.resolved');
    expect(r.body.types).toHaveLength(10);
  });

  it('lets a key with webhooks:read list subscriptions but not make one', async () => {
    const key = await app.api('POST', '/api/v1/api-keys', {
      name: 'ops',
      scopes: ['webhooks:read'],
    });
    expect((await app.api('GET', '/api/v1/webhooks', undefined, key.body.key)).status).toBe(200);
    const write = await app.api(
      'POST',
      '/api/v1/webhooks',
      { url: `${base}/x`, events: ['customer.erased'] },
      key.body.key,
    );
    expect([write.status, write.body.message]).toEqual([
      403,
      expect.stringMatching(/webhooks:write/),
    ]);
  });
});
