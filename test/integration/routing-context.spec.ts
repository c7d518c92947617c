import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import type { Channel } from '../../src/common/names';
import { ConsentService } from '../../src/consent/consent.service';
import { BatchContextLoader } from '../../src/campaigns/batch-context.loader';
import { decideRoute, DEFAULT_ROUTING_POLICY } from '../../src/routing/decision';
import type { MessageIntent } from '../../src/routing/decision';
import { RoutingContextLoader } from '../../src/routing/routing-context.loader';
import { startTestApp, type TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe(RoutingContextLoader.name, () => {
  let app: TestApp;
  let db: DataSource;
  let loader: RoutingContextLoader;
  let consents: ConsentService;
  let seq = 0;

  beforeAll(async () => {
    app = await startTestApp();
    db = app.hub.app.get(DataSource);
    loader = app.hub.app.get(RoutingContextLoader);
    consents = app.hub.app.get(ConsentService);
  });
  afterAll(() => app.close());

  async function newCustomer(
    identities: Array<{ channel: Channel; address: string }>,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const r = await app.api('POST', '/api/v1/customers', {
      displayName: `Ctx ${++seq}`,
      identities,
      ...extra,
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  }

  /** A historical message (the timeline only writes "now", so history is seeded with its timestamps). */
  async function message(
    customerId: string,
    direction: 'inbound' | 'outbound',
    channel: Channel,
    at: Date,
    status = 'delivered',
  ): Promise<void> {
    await db.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, provider_message_id, created_at, updated_at)
       VALUES ($1, $2, 'message', $3, $4, 'seeded', $5, $6, $6)`,
      [customerId, direction, channel, status, `seed-${randomUUID()}`, at],
    );
  }

  it('expands a phone to sms, voice and whatsapp, keeps each identity status, and reads the customer row', async () => {
    const phone = `+8613911${String(100000 + seq)}`;
    const id = await newCustomer(
      [
        { channel: 'email', address: `ctx-${randomUUID().slice(0, 8)}@example.com` },
        { channel: 'sms', address: phone },
        { channel: 'wechat', address: `wx_${randomUUID().slice(0, 8)}` },
      ],
      { locale: 'zh-CN', timezone: 'Asia/Shanghai', attributes: { tone: 'technical' } },
    );
    await db.query(
      `UPDATE customer_identities SET status = 'undeliverable' WHERE customer_id = $1 AND kind = 'wechat'`,
      [id],
    );

    const loaded = await loader.load(id, new Date());
    expect(loaded.displayName).toBe(`Ctx ${seq}`);
    expect(loaded.context).toMatchObject({
      customerId: id,
      locale: 'zh-CN',
      timezone: 'Asia/Shanghai',
      attributes: { tone: 'technical' },
    });
    const byChannel = Object.fromEntries(loaded.context.identities.map((i) => [i.channel, i]));
    expect(Object.keys(byChannel).sort()).toEqual(['email', 'sms', 'voice', 'wechat', 'whatsapp']);
    expect(byChannel.sms).toEqual({ channel: 'sms', address: phone, status: 'active' });
    expect(byChannel.voice).toEqual({ channel: 'voice', address: phone, status: 'active' });
    expect(byChannel.whatsapp).toEqual({ channel: 'whatsapp', address: phone, status: 'active' });
    // Never wrote on WhatsApp: its 24-hour window is closed.
    expect(loaded.context.lastWhatsappInboundAt).toBeNull();
    expect(byChannel.wechat.status).toBe('undeliverable');
    expect(loaded.context.consent).toEqual({});
    expect(loaded.context.learnedRanking).toEqual([]);
    expect(loaded.context.marketingSent).toEqual({ lastDay: 0, lastWeek: 0 });
  });

  it('reads the latest consent per channel and purpose from the ledger', async () => {
    const id = await newCustomer([
      { channel: 'email', address: `consent-${randomUUID().slice(0, 8)}@example.com` },
    ]);
    const change = (
      channel: Channel,
      purpose: 'marketing' | 'transactional',
      status: 'granted' | 'revoked',
    ) =>
      consents.record({
        customerId: id,
        channel,
        purpose,
        status,
        source: 'api',
        evidence: { test: true },
      });
    await change('email', 'marketing', 'granted');
    await change('email', 'marketing', 'revoked');
    await change('email', 'marketing', 'granted');
    await change('sms', 'transactional', 'revoked');

    const loaded = await loader.load(id, new Date());
    expect(loaded.context.consent).toEqual({
      email: { marketing: 'granted' },
      sms: { transactional: 'revoked' },
    });
  });

  it('learns from replies within 48 hours over the last 90 days, and from reads', async () => {
    const id = await newCustomer([
      { channel: 'email', address: `learn-${randomUUID().slice(0, 8)}@example.com` },
    ]);
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    // wechat: two answers within 48 h (counts twice).
    await message(id, 'outbound', 'wechat', ago(10 * DAY));
    await message(id, 'inbound', 'wechat', ago(10 * DAY - 2 * HOUR));
    await message(id, 'outbound', 'wechat', ago(5 * DAY));
    await message(id, 'inbound', 'wechat', ago(5 * DAY - 47 * HOUR));
    // email: read (counts once).
    await message(id, 'outbound', 'email', ago(3 * DAY), 'read');
    // sms: the reply came 60 h later (does not count).
    await message(id, 'outbound', 'sms', ago(20 * DAY));
    await message(id, 'inbound', 'sms', ago(20 * DAY - 60 * HOUR));
    // voice: answered within an hour, but 91 days ago (outside the window).
    await message(id, 'outbound', 'voice', ago(91 * DAY));
    await message(id, 'inbound', 'voice', ago(91 * DAY - HOUR));

    const loaded = await loader.load(id, now);
    expect(loaded.context.learnedRanking).toEqual(['wechat', 'email']);
  });

  it("reads the customer's last inbound WhatsApp message (the 24-hour window's start)", async () => {
    const id = await newCustomer([
      { channel: 'email', address: `wa-${randomUUID().slice(0, 8)}@example.com` },
    ]);
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    await message(id, 'inbound', 'whatsapp', ago(30 * HOUR));
    await message(id, 'inbound', 'whatsapp', ago(3 * HOUR));
    await message(id, 'inbound', 'sms', ago(HOUR));
    await message(id, 'outbound', 'whatsapp', ago(HOUR / 2));
    const loaded = await loader.load(id, now);
    expect(loaded.context.lastWhatsappInboundAt?.getTime()).toBe(ago(3 * HOUR).getTime());
  });

  it('counts marketing sends of the last day and week, leaving failed and suppressed ones out', async () => {
    const id = await newCustomer([
      { channel: 'email', address: `cap-${randomUUID().slice(0, 8)}@example.com` },
    ]);
    const now = new Date();
    const marketing = (hoursAgo: number, status: string) =>
      db.query(
        `INSERT INTO messages (customer_id, direction, kind, channel, status, purpose, created_at) VALUES ($1, 'outbound', 'message', 'email', $2, 'marketing', $3)`,
        [id, status, new Date(now.getTime() - hoursAgo * HOUR)],
      );
    await marketing(2, 'delivered');
    await marketing(30, 'sent');
    await marketing(50, 'failed');
    await marketing(3, 'suppressed');
    await marketing(24 * 8, 'delivered');

    const loaded = await loader.load(id, now);
    expect(loaded.context.marketingSent).toEqual({ lastDay: 1, lastWeek: 2 });
  });

  it('gives a campaign batch the same context and decisions as a single send, customer by customer', async () => {
    // A customer whose marketing send of an hour ago lies behind 600 newer messages: a read
    // limited to the latest messages would miss it and let the cap pass.
    const busy = await newCustomer(
      [{ channel: 'email', address: `busy-${randomUUID().slice(0, 8)}@example.com` }],
      { tags: ['busy'] },
    );
    await consents.record({
      customerId: busy,
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      source: 'test',
    });
    const now = new Date();
    await db.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, purpose, created_at) VALUES ($1, 'outbound', 'message', 'email', 'delivered', 'marketing', $2)`,
      [busy, new Date(now.getTime() - HOUR)],
    );
    await db.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, created_at)
       SELECT $1, 'inbound', 'message', 'email', 'delivered', 'seeded', $2::timestamptz + g * interval '1 second'
       FROM generate_series(1, 600) g`,
      [busy, new Date(now.getTime() - 50 * 60_000)],
    );

    const batch = await app.hub.app.get(BatchContextLoader).next({}, null, 10_000, now);
    expect(batch.map((b) => b.context.customerId)).toContain(busy);
    expect(batch.length).toBeGreaterThanOrEqual(seq);
    const intents: MessageIntent[] = [
      { topic: 'promo', urgency: 'normal', purpose: 'marketing', template: 't' },
      { topic: 'orders', urgency: 'high', purpose: 'transactional', template: 't' },
      { topic: 'alerts', urgency: 'critical', purpose: 'service', template: 't' },
    ];
    const templateChannels = new Set(['email', 'sms', 'voice', 'wechat', 'livechat'] as const);
    for (const fromBatch of batch) {
      const single = await loader.load(fromBatch.context.customerId, now);
      expect(fromBatch).toEqual(single);
      for (const intent of intents) {
        const decide = (c: typeof single) =>
          decideRoute({ ...c.context, templateChannels }, intent, now, DEFAULT_ROUTING_POLICY);
        expect(decide(fromBatch)).toEqual(decide(single));
      }
    }
    const busyContext = batch.find((b) => b.context.customerId === busy)!.context;
    expect(busyContext.marketingSent).toEqual({ lastDay: 1, lastWeek: 1 });
  });

  it('answers 404 for an unknown customer', async () => {
    await expect(loader.load(randomUUID(), new Date())).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
