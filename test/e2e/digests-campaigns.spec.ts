/**
 * Digests beyond single sends: low-urgency campaign sends gathered into the customer's digest
 * (one digest carrying a service update and a campaign message), high ones going at once, the
 * campaign stats, the routing preview and "why you heard from us" saying so in both languages,
 * and an erasure cancelling the customer's digest. Real PostgreSQL and (when up) Redis.
 */
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { DigestFlushService } from '../../src/messages/digest-flush.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/** Digest window: 0.5 minute = 30 s, long enough for a campaign to run inside it. */
const WINDOW_MS = 30_000;

let app: TestApp;
let db: DataSource;
let marketer: string;
let supervisor: string;
let seq = 0;

const offer = { percent: 20, code: 'DIGEST20', until: '2030-05-01T00:00:00Z' };
const order = (id: string) => ({
  id,
  carrier: 'SF',
  trackingUrl: `https://t.example/${id}`,
  total: 12.5,
  currency: 'CNY',
  shippedAt: '2025-03-10T04:00:00Z',
});

async function q<T = Record<string, any>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

/** A customer reachable by e-mail, marketing allowed there, tagged `tag`. */
async function newCustomer(tag: string, locale = 'en'): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: `Digest campaign ${++seq}`,
    timezone: 'Asia/Shanghai',
    locale,
    identities: [{ channel: 'email', address: `dc${seq}-${randomUUID().slice(0, 6)}@example.com` }],
  });
  expect(r.status).toBe(201);
  const id = r.body.id as string;
  await q(`UPDATE customers SET tags = $2 WHERE id = $1`, [id, [tag]]);
  const grant = await app.api('POST', `/api/v1/customers/${id}/consents`, {
    channel: 'email',
    purpose: 'marketing',
    status: 'granted',
    source: 'api',
  });
  expect(grant.status).toBe(201);
  return id;
}

function shipped(customerId: string, orderId: string, urgency = 'low') {
  return {
    customerId,
    topic: 'orders',
    urgency,
    purpose: 'service',
    template: 'order-shipped',
    data: { order: order(orderId) },
  };
}

async function send(body: Record<string, unknown>) {
  const r = await app.api('POST', '/api/v1/messages', body);
  expect(r.status).toBe(202);
  return r.body as {
    messageId: string;
    status: string;
    route: { sendAt: string; reasons: string[] };
  };
}

const get = async (id: string) => (await app.api('GET', `/api/v1/messages/${id}`)).body;

/** Creates and launches a campaign to `tag`, and waits for it to complete. */
async function runCampaign(tag: string, body: Record<string, unknown>, token: string) {
  const c = await app.api(
    'POST',
    '/api/v1/campaigns',
    { name: `Digest ${tag}`, segment: { tags: [tag] }, ...body },
    token,
  );
  expect(c.status).toBe(201);
  const launched = await app.api('POST', `/api/v1/campaigns/${c.body.id}/launch`, undefined, token);
  expect(launched.status).toBe(202);
  await eventually(
    async () =>
      (await app.api('GET', `/api/v1/campaigns/${c.body.id}`)).body.status === 'completed',
    `campaign ${tag} to complete`,
  );
  return c.body.id as string;
}

async function campaignMessage(campaignId: string, customerId: string) {
  const [row] = await q<{ message_id: string; status: string }>(
    `SELECT message_id, status FROM campaign_recipients WHERE campaign_id = $1 AND customer_id = $2`,
    [campaignId, customerId],
  );
  expect(row.status).toBe('sent');
  return get(row.message_id);
}

/** The digest message an item points at, once its digest has gone. */
async function carrierOf(itemId: string): Promise<any> {
  const item = await eventually(
    async () => {
      const m = await get(itemId);
      return m.metadata?.digest?.messageId ? m : null;
    },
    `the digest carrying ${itemId}`,
    WINDOW_MS + 20_000,
  );
  return get(item.metadata.digest.messageId as string);
}

beforeAll(async () => {
  app = await startTestApp({ DIGEST_WINDOW_MINUTES: String(WINDOW_MS / 60_000) });
  db = app.hub.app.get(DataSource);
  marketer = (await app.userToken('marketer')).token;
  supervisor = (await app.userToken('supervisor')).token;
});
afterAll(async () => {
  await app?.close();
});

describe('low-urgency campaign sends and digests', () => {
  it('gathers a campaign send into the pending service digest: ONE digest carries both; a customer without one gets it at once, and their next low message waits', async () => {
    const tag = `dg-${randomUUID().slice(0, 8)}`;
    const pending = await newCustomer(tag);
    const fresh = await newCustomer(tag);
    await send(shipped(pending, 'S-1'));
    const service = await send(shipped(pending, 'S-2'));
    expect(service.status).toBe('digested');
    const digest = (await get(service.messageId)).metadata.digest as { id: string; dueAt: string };

    const campaignId = await runCampaign(
      tag,
      {
        topic: 'promo',
        purpose: 'marketing',
        urgency: 'low',
        template: 'welcome',
        data: { offer },
      },
      marketer,
    );

    // The customer with a pending digest: the campaign message joins it, no send of its own.
    const held = await campaignMessage(campaignId, pending);
    expect(held.status).toBe('digested');
    expect(held.urgency).toBe('low');
    expect(held.metadata.digest).toEqual({ id: digest.id, dueAt: digest.dueAt });
    expect(held.route.sendAt).toBe(digest.dueAt);
    expect(held.route.reasons.at(-1)).toBe(
      `gathered into digest ${digest.id}, due ${digest.dueAt}`,
    );
    expect(held.metadata.campaignId).toBe(campaignId);
    const jobs = await q(
      `SELECT 1 FROM outbox_jobs WHERE payload->'messageIds' ? $1 OR payload->>'messageId' = $1`,
      [held.id],
    );
    expect(jobs).toHaveLength(0);
    // Still one digest and one flush job for the customer.
    expect(await q(`SELECT id FROM digests WHERE customer_id = $1`, [pending])).toHaveLength(1);
    expect(
      await q(`SELECT 1 FROM outbox_jobs WHERE dedupe_key = $1`, [`digest:${digest.id}`]),
    ).toHaveLength(1);

    // The customer without a recent low-urgency message: sent at once, and it opens their window.
    const alone = await campaignMessage(campaignId, fresh);
    expect(alone.status).not.toBe('digested');
    expect(alone.route.reasons.join(' ')).not.toContain('digest');
    await eventually(
      async () => (await get(alone.id)).status === 'delivered',
      'the campaign message sent alone to be delivered',
    );
    const next = await send(shipped(fresh, 'F-1'));
    expect(next.status).toBe('digested');
    expect(next.route.reasons.at(-1)).toMatch(/^gathered into a new digest due /);

    // Stats while the digest waits: sent, digested, counted as queued, not failed.
    const waiting = await app.api(
      'GET',
      `/api/v1/campaigns/${campaignId}/stats`,
      undefined,
      marketer,
    );
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ recipients: 2, sent: 2, digested: 1, failed: 0 });
    expect(waiting.body.queued + waiting.body.delivered).toBe(2);

    // When due, one digest message carries the service update and the campaign message.
    const carrier = await carrierOf(service.messageId);
    expect(carrier.template).toBe('digest');
    expect(carrier.purpose).toBe('marketing');
    expect(carrier.metadata.digest.carried).toEqual([service.messageId, held.id]);
    expect(carrier.route.reasons).toContain(
      `digest ${digest.id} carries 2 message(s): ${service.messageId}, ${held.id}`,
    );
    expect(carrier.text).toContain('S-2');
    expect(carrier.text).toContain('DIGEST20');
    expect(new Date(carrier.createdAt).getTime()).toBeGreaterThanOrEqual(
      new Date(digest.dueAt).getTime(),
    );
    expect((await get(held.id)).metadata.digest.messageId).toBe(carrier.id);
    const digests = await q(
      `SELECT id FROM messages WHERE customer_id = $1 AND template = 'digest'`,
      [pending],
    );
    expect(digests).toHaveLength(1);
    const attempts = await q(`SELECT 1 FROM delivery_attempts WHERE message_id = $1`, [held.id]);
    expect(attempts).toHaveLength(0);

    await eventually(
      async () => (await get(carrier.id)).status === 'delivered',
      'the digest to be delivered',
    );
    const after = await app.api(
      'GET',
      `/api/v1/campaigns/${campaignId}/stats`,
      undefined,
      marketer,
    );
    expect(after.body).toMatchObject({ sent: 2, digested: 1, delivered: 2, queued: 0, failed: 0 });
  }, 90_000);

  it('sends a high-urgency campaign at once, even to a customer with a pending digest', async () => {
    const tag = `dh-${randomUUID().slice(0, 8)}`;
    const id = await newCustomer(tag);
    await send(shipped(id, 'H-1'));
    const waiting = await send(shipped(id, 'H-2'));
    expect(waiting.status).toBe('digested');
    const campaignId = await runCampaign(
      tag,
      {
        topic: 'orders',
        purpose: 'service',
        urgency: 'high',
        template: 'order-shipped',
        data: { order: order('H-ALL') },
      },
      supervisor,
    );
    const m = await campaignMessage(campaignId, id);
    expect(m.status).not.toBe('digested');
    expect(m.metadata.digest).toBeUndefined();
    await eventually(
      async () => (await get(m.id)).status === 'delivered',
      'the high-urgency campaign message to be delivered',
    );
    expect((await get(waiting.messageId)).status).toBe('digested');
  }, 40_000);
});

describe('the digest in plain words', () => {
  it('the routing preview says a low message would be gathered, in en and zh-CN; a high one not', async () => {
    const id = await newCustomer(`dp-${seq}`);
    await send(shipped(id, 'P-1'));
    const low = await app.api('POST', '/api/v1/routing/preview', shipped(id, 'P-2'));
    expect(low.status).toBe(200);
    expect(low.body.digest).toMatchObject({ gathered: true, digestId: null });
    expect(low.body.route.sendAt).toBe(low.body.digest.dueAt);
    expect(low.body.route.reasons.at(-1)).toMatch(/^gathered into a new digest due /);
    expect(low.body.explanation.en.join(' ')).toContain(
      'Will be gathered with your other low-priority messages into one digest, due ',
    );
    expect(low.body.explanation['zh-CN'].join('')).toContain(
      '将与您的其他低优先级消息合并为一条摘要',
    );
    // The preview sent nothing.
    expect(await q(`SELECT 1 FROM digests WHERE customer_id = $1`, [id])).toHaveLength(0);

    const high = await app.api('POST', '/api/v1/routing/preview', shipped(id, 'P-3', 'high'));
    expect(high.status).toBe(200);
    expect(high.body.digest).toEqual({ gathered: false });
    expect(JSON.stringify(high.body.explanation)).not.toMatch(/digest|摘要/);
  });

  it('"why you heard from us" says the message was gathered into a digest, in both languages', async () => {
    const id = await newCustomer(`dw-${seq}`, 'zh-CN');
    await send(shipped(id, 'W-1'));
    const held = await send(shipped(id, 'W-2'));
    expect(held.status).toBe('digested');
    const link = await app.api('POST', `/api/v1/customers/${id}/preference-link`);
    expect(link.status).toBe(200);
    const url = (link.body.url as string).replace(/^http:\/\/localhost:\d+/, app.url);
    const zh = await (await fetch(url)).text();
    expect(zh).toContain('已与您的其他低优先级消息合并为一条摘要');
    const en = await (await fetch(`${url}?lang=en`)).text();
    expect(en).toContain('Gathered with your other low-priority messages into one digest, due ');
  });
});

describe('erasure and digests', () => {
  it("cancels the customer's open digest and its pending items: nothing is sent to them afterwards", async () => {
    const id = await newCustomer(`de-${seq}`);
    await send(shipped(id, 'E-1'));
    const held = await send(shipped(id, 'E-2'));
    const digestId = (await get(held.messageId)).metadata.digest.id as string;
    expect(
      await q(`SELECT 1 FROM outbox_jobs WHERE dedupe_key = $1`, [`digest:${digestId}`]),
    ).toHaveLength(1);

    const erased = await app.api('DELETE', `/api/v1/customers/${id}`);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ erased: true, digestsCancelled: 1 });

    const [digest] = await q(`SELECT status, reason, message_id FROM digests WHERE id = $1`, [
      digestId,
    ]);
    expect(digest).toEqual({ status: 'dropped', reason: 'customer erased', message_id: null });
    const [item] = await q(`SELECT status, text FROM messages WHERE id = $1`, [held.messageId]);
    expect(item).toEqual({ status: 'suppressed', text: '' });
    expect(
      await q(`SELECT 1 FROM outbox_jobs WHERE dedupe_key = $1`, [`digest:${digestId}`]),
    ).toHaveLength(0);

    // A flush that runs anyway (a job already taken) sends nothing.
    await app.hub.app.get(DigestFlushService).flush({ digestId });
    expect(
      await q(`SELECT 1 FROM messages WHERE customer_id = $1 AND template = 'digest'`, [id]),
    ).toHaveLength(0);
    expect(
      await q(`SELECT 1 FROM delivery_attempts WHERE message_id = $1`, [held.messageId]),
    ).toHaveLength(0);

    // Erasing again finds nothing more.
    const again = await app.api('DELETE', `/api/v1/customers/${id}`);
    expect(again.body).toMatchObject({ erased: true, digestsCancelled: 0 });
  });
});
