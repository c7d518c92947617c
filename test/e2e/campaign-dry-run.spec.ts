import { DataSource } from 'typeorm';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * The dry run (issue 19): a campaign's fan-out planned over the whole segment without writing
 * anything, counted per channel (now, held by quiet hours) and per suppression reason, with a
 * sample of customers and their reasons; a launch right after does exactly what it counted.
 */
let app: TestApp;
let db: DataSource;
let marketer: string;
let agent: string;
let campaignId: string;
const ids: Record<string, string> = {};
const TAG = 'dryrun';

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

/** A fixed-offset zone where it is about 2 a.m. now (Etc/GMT-8 is UTC+8). */
function nightZone(now = new Date()): string {
  let x = (((2 - now.getUTCHours()) % 24) + 24) % 24;
  if (x > 14) x -= 24;
  return x === 0 ? 'Etc/GMT' : x > 0 ? `Etc/GMT-${x}` : `Etc/GMT+${-x}`;
}

async function customer(
  key: string,
  identity: { channel: 'email' | 'sms'; address: string } | null,
  options: { consent?: 'granted' | 'revoked'; timezone?: string; quiet?: boolean } = {},
): Promise<void> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: key,
    identities: identity ? [identity] : [],
    tags: [TAG],
    ...(options.timezone ? { timezone: options.timezone } : {}),
  });
  expect(r.status).toBe(201);
  const id = r.body.id as string;
  ids[key] = id;
  const channel = identity?.channel ?? 'email';
  const consent = await app.api('POST', `/api/v1/customers/${id}/consents`, {
    channel,
    purpose: 'marketing',
    status: options.consent ?? 'granted',
    source: 'signup form',
  });
  expect(consent.status).toBe(201);
  const prefs = await app.api('PUT', `/api/v1/customers/${id}/preferences`, {
    matrix: [{ topic: 'sale', urgency: '*', channels: [channel] }],
    ...(options.quiet ? { quietHours: { start: '22:00', end: '07:00' } } : {}),
  });
  expect(prefs.status).toBe(200);
}

const definition = {
  name: 'Dry run sale',
  segment: { tags: [TAG] },
  topic: 'sale',
  purpose: 'marketing',
  urgency: 'normal',
  template: 'dryrun-sale',
};

const dryRun = async (path: string, body?: unknown, token = marketer) =>
  app.api('POST', path, body, token);

beforeAll(async () => {
  // Low-urgency sends within an hour of the customer's last low-urgency one are gathered.
  app = await startTestApp({ DIGEST_WINDOW_MINUTES: '60' });
  db = app.hub.app.get(DataSource);
  marketer = (await app.userToken('marketer')).token;
  agent = (await app.userToken('agent')).token;
  for (const [channel, body] of [
    ['email', '<p>Hi {{customer.name}}, our sale starts now.</p>'],
    ['sms', 'Sale starts now. Reply STOP to opt out'],
  ] as const) {
    const t = await app.api(
      'POST',
      '/api/v1/templates',
      { key: 'dryrun-sale', channel, locale: 'en', subject: 'Sale', body },
      marketer,
    );
    expect(t.status).toBe(201);
  }
  await customer('ann', { channel: 'email', address: 'ann.dry@example.com' });
  await customer('bob', { channel: 'email', address: 'bob.dry@example.com' });
  await customer('cai', { channel: 'sms', address: '+8613900003301' });
  await customer(
    'rev',
    { channel: 'email', address: 'rev.dry@example.com' },
    { consent: 'revoked' },
  );
  await customer(
    'owl',
    { channel: 'email', address: 'owl.dry@example.com' },
    { timezone: nightZone(), quiet: true },
  );
  await customer('cap', { channel: 'email', address: 'cap.dry@example.com' });
  await customer('nob', null);
  await customer('sup', { channel: 'sms', address: '+8613900003302' });
  // Cap had a marketing message an hour ago: the daily cap (1) is reached.
  await q(
    `INSERT INTO messages (customer_id, direction, kind, channel, status, purpose, created_at)
     VALUES ($1, 'outbound', 'message', 'email', 'delivered', 'marketing', now() - interval '1 hour')`,
    [ids.cap],
  );
  // Sup asked support something: the open conversation holds marketing back.
  const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
    channel: 'sms',
    from: '+8613900003302',
    text: 'Where is my parcel?',
  });
  expect(inbound.status).toBeLessThan(300);
  const c = await app.api('POST', '/api/v1/campaigns', definition, marketer);
  expect(c.status).toBe(201);
  campaignId = c.body.id as string;
});
afterAll(async () => {
  await app?.close();
});

describe('Campaign dry run', () => {
  let run: Record<string, any>;

  it('counts each channel and each suppression reason exactly, writing nothing', async () => {
    const before = await q<{
      messages: number;
      recipients: number;
      links: number;
      digests: number;
    }>(
      `SELECT (SELECT count(*) FROM messages WHERE purpose = 'marketing')::int AS messages,
              (SELECT count(*) FROM campaign_recipients)::int AS recipients,
              (SELECT count(*) FROM short_links)::int AS links,
              (SELECT count(*) FROM digests)::int AS digests`,
    );
    const r = await dryRun(`/api/v1/campaigns/${campaignId}/dry-run`);
    expect(r.status).toBe(200);
    run = r.body;
    expect(run).toMatchObject({
      campaignId,
      audience: 8,
      recipients: 8,
      complete: true,
      stoppedBy: null,
      sends: { now: 3, held: 1, digest: 0, total: 4 },
      suppressed: {
        noConsent: 1,
        frequencyCap: 1,
        noChannel: 1,
        contactBudget: 1,
        quietHours: 0,
        total: 4,
      },
    });
    expect(run.byChannel.email).toEqual({ now: 2, held: 1, digest: 0 });
    expect(run.byChannel.sms).toEqual({ now: 1, held: 0, digest: 0 });
    expect(run.held.count).toBe(1);
    expect(run.held.earliest).toBe(run.held.latest);
    const heldAt = new Date(run.held.earliest as string).getTime();
    expect(heldAt).toBeGreaterThan(Date.now() + 3 * 3600_000);
    expect(heldAt).toBeLessThan(Date.now() + 7 * 3600_000);
    expect(run.limits).toEqual({ seconds: 20, customers: 1_000_000 });

    // The sample shows every customer here (8 < 20), each with its reasons.
    const byId = new Map((run.sample as any[]).map((s) => [s.customerId, s]));
    expect(byId.size).toBe(8);
    expect(byId.get(ids.rev)).toMatchObject({ outcome: 'suppressed', suppression: 'noConsent' });
    expect(byId.get(ids.cap)).toMatchObject({ outcome: 'suppressed', suppression: 'frequencyCap' });
    expect(byId.get(ids.nob)).toMatchObject({ outcome: 'suppressed', suppression: 'noChannel' });
    expect(byId.get(ids.sup)).toMatchObject({
      outcome: 'suppressed',
      suppression: 'contactBudget',
    });
    const owl = byId.get(ids.owl);
    expect(owl).toMatchObject({ outcome: 'held', channel: 'email', sendAt: run.held.earliest });
    expect(owl.reasons.join(' ')).toMatch(/quiet hours/);
    expect(owl.explanation['zh-CN'].join(' ')).toMatch(/免打扰/);
    expect(owl.explanation.en.join(' ')).toMatch(/quiet hours/);
    expect(byId.get(ids.rev).explanation['zh-CN'].join(' ')).toMatch(/停止接收/);
    for (const s of run.sample) expect(s.reasons.length).toBeGreaterThan(0);

    const after = await q(
      `SELECT (SELECT count(*) FROM messages WHERE purpose = 'marketing')::int AS messages,
              (SELECT count(*) FROM campaign_recipients)::int AS recipients,
              (SELECT count(*) FROM short_links)::int AS links,
              (SELECT count(*) FROM digests)::int AS digests`,
    );
    expect(after).toEqual(before);
    const c = await app.api('GET', `/api/v1/campaigns/${campaignId}`, undefined, marketer);
    expect(c.body.status).toBe('draft');
    expect(c.body.progress.recipients).toBe(0);
  });

  it('dry-runs an unsaved definition the same way', async () => {
    const r = await dryRun('/api/v1/campaigns/dry-run', definition);
    expect(r.status).toBe(200);
    expect(r.body.campaignId).toBeNull();
    expect(r.body.byChannel).toEqual(run.byChannel);
    expect(r.body.suppressed).toEqual(run.suppressed);
  });

  it('stops at a size cap and says so', async () => {
    const r = await dryRun(`/api/v1/campaigns/${campaignId}/dry-run?maxCustomers=3`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      audience: 8,
      recipients: 3,
      complete: false,
      stoppedBy: 'customers',
      limits: { customers: 3 },
    });
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const empty = await dryRun('/api/v1/campaigns/dry-run', {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/name/);
    const tier = await dryRun('/api/v1/campaigns/dry-run', {
      ...definition,
      segment: { tier: 'gold' },
    });
    expect(tier.status).toBe(400);
    expect(tier.body.message).toMatch(/segment\.tier/);
    const unknown = await dryRun('/api/v1/campaigns/dry-run', { ...definition, template: 'nope' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/^template:/);
    const purpose = await dryRun('/api/v1/campaigns/dry-run', {
      ...definition,
      purpose: 'transactional',
    });
    expect(purpose.status).toBe(403);
    expect(purpose.body.message).toMatch(/^purpose:/);
    expect((await dryRun('/api/v1/campaigns/not-a-uuid/dry-run')).status).toBe(400);
    expect((await dryRun(`/api/v1/campaigns/${campaignId}/dry-run?maxCustomers=0`)).status).toBe(
      400,
    );
    expect(
      (await dryRun('/api/v1/campaigns/00000000-0000-4000-8000-000000000000/dry-run')).status,
    ).toBe(404);
  });

  it('is for marketers, not agents', async () => {
    expect((await dryRun(`/api/v1/campaigns/${campaignId}/dry-run`, undefined, agent)).status).toBe(
      403,
    );
    expect((await dryRun('/api/v1/campaigns/dry-run', definition, agent)).status).toBe(403);
  });

  it('matches what the launch then does, per channel and per reason', async () => {
    const launched = await app.api(
      'POST',
      `/api/v1/campaigns/${campaignId}/launch`,
      undefined,
      marketer,
    );
    expect(launched.status).toBe(202);
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${campaignId}`, undefined, marketer)).body.progress
          .recipients === 8,
      'the fan-out',
    );
    const s = (await app.api('GET', `/api/v1/campaigns/${campaignId}/stats`, undefined, marketer))
      .body;
    expect(s.recipients).toBe(run.recipients);
    for (const [channel, c] of Object.entries(run.byChannel as Record<string, any>)) {
      const got = s.byChannel[channel] ?? { sent: 0, scheduled: 0, digested: 0 };
      expect({ channel, sent: got.sent, scheduled: got.scheduled, digested: got.digested }).toEqual(
        { channel, sent: c.now + c.digest, scheduled: c.held, digested: c.digest },
      );
    }
    expect(s.suppressed).toEqual(run.suppressed);
    expect(s.scheduledFirstAt).toBe(run.held.earliest);
    expect(s.scheduledLastAt).toBe(run.held.latest);
  });

  it('splits an A/B campaign between its variants as the launch does', async () => {
    // Variant B has an e-mail template only: its SMS customers have no channel.
    const b = await app.api(
      'POST',
      '/api/v1/templates',
      {
        key: 'dryrun-sale-b',
        channel: 'email',
        locale: 'en',
        subject: 'Sale B',
        body: '<p>Hello {{customer.name}}, the sale is on.</p>',
      },
      marketer,
    );
    expect(b.status).toBe(201);
    const created = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        ...definition,
        name: 'Dry run A/B',
        variants: [
          { template: 'dryrun-sale', weight: 1 },
          { template: 'dryrun-sale-b', weight: 1 },
        ],
      },
      marketer,
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const r = await dryRun(`/api/v1/campaigns/${id}/dry-run`);
    expect(r.status).toBe(200);
    const split = r.body.variants as Record<string, number>;
    expect(Object.values(split).reduce((a, n) => a + n, 0)).toBe(8);
    expect(
      (await app.api('POST', `/api/v1/campaigns/${id}/launch`, undefined, marketer)).status,
    ).toBe(202);
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${id}`, undefined, marketer)).body.progress
          .recipients === 8,
      'the A/B fan-out',
    );
    const written = await q<{ variant: string; n: number }>(
      `SELECT variant, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY variant`,
      [id],
    );
    expect(Object.fromEntries(written.map((w) => [w.variant, w.n]))).toEqual(split);
    const s = (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer)).body;
    expect(s.suppressed).toEqual(r.body.suppressed);
    for (const [channel, c] of Object.entries(r.body.byChannel as Record<string, any>)) {
      const got = s.byChannel[channel] ?? { sent: 0, scheduled: 0 };
      expect({ channel, sent: got.sent, scheduled: got.scheduled }).toEqual({
        channel,
        sent: c.now + c.digest,
        scheduled: c.held,
      });
    }
  });

  it('counts sends gathered into digests (low urgency) as the launch does', async () => {
    await customer('dig', { channel: 'email', address: 'dig.dry@example.com' });
    await customer('lone', { channel: 'email', address: 'lone.dry@example.com' });
    await q(`UPDATE customers SET tags = $2 WHERE id = ANY($1)`, [
      [ids.dig, ids.lone],
      ['dryrun-low'],
    ]);
    // Dig had a low-urgency service update a moment ago: the campaign's message waits for it.
    const update = await app.api('POST', '/api/v1/messages', {
      customerId: ids.dig,
      topic: 'orders',
      urgency: 'low',
      purpose: 'service',
      template: 'order-shipped',
      data: {
        order: {
          id: 'D-1',
          carrier: 'SF',
          trackingUrl: 'https://t.example/D-1',
          total: 12.5,
          currency: 'CNY',
          shippedAt: '2025-03-10T04:00:00Z',
        },
      },
    });
    expect(update.status).toBe(202);
    const created = await app.api(
      'POST',
      '/api/v1/campaigns',
      { ...definition, name: 'Dry run low', urgency: 'low', segment: { tags: ['dryrun-low'] } },
      marketer,
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const r = await dryRun(`/api/v1/campaigns/${id}/dry-run`);
    expect(r.status).toBe(200);
    expect(r.body.byChannel.email).toEqual({ now: 1, held: 0, digest: 1 });
    const dig = (r.body.sample as any[]).find((x) => x.customerId === ids.dig);
    expect(dig).toMatchObject({ outcome: 'digest', channel: 'email' });
    expect(dig.sendAt).not.toBeNull();
    expect(dig.explanation['zh-CN'].join(' ')).toMatch(/摘要/);
    expect(
      (await app.api('POST', `/api/v1/campaigns/${id}/launch`, undefined, marketer)).status,
    ).toBe(202);
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${id}`, undefined, marketer)).body.progress
          .recipients === 2,
      'the low-urgency fan-out',
    );
    const s = (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer)).body;
    expect(s.byChannel.email).toMatchObject({ sent: 2, digested: 1, scheduled: 0 });
  });
});
