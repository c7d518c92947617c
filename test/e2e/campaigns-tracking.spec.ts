import { DataSource } from 'typeorm';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let db: DataSource;
let marketer: string;
let campaignId: string;
let laterId: string;
const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

async function customer(
  name: string,
  email: string | null,
  phone: string | null,
  smsFirst = false,
): Promise<string> {
  const identities = [
    ...(email ? [{ channel: 'email', address: email }] : []),
    ...(phone ? [{ channel: 'sms', address: phone }] : []),
  ];
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: name,
    identities,
    tags: ['tracked'],
  });
  expect(r.status).toBe(201);
  const id = r.body.id as string;
  for (const i of identities) {
    expect(
      (
        await app.api('POST', `/api/v1/customers/${id}/consents`, {
          channel: i.channel,
          purpose: 'marketing',
          status: 'granted',
          source: 'signup form',
        })
      ).status,
    ).toBe(201);
  }
  if (smsFirst)
    await app.api('PUT', `/api/v1/customers/${id}/preferences`, {
      matrix: [{ topic: 'sale', urgency: '*', channels: ['sms'] }],
    });
  return id;
}

/** Links are minted with PUBLIC_URL (http://localhost:0 under test); point them at the test server. */
const local = (url: string) => url.replace(/^http:\/\/localhost:\d+/, app.url);

async function campaign(name: string): Promise<string> {
  const c = await app.api(
    'POST',
    '/api/v1/campaigns',
    {
      name,
      segment: { tags: ['tracked'] },
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'sale-links',
      data: { code: 'TEN' },
    },
    marketer,
  );
  expect(c.status).toBe(201);
  expect(
    (await app.api('POST', `/api/v1/campaigns/${c.body.id}/launch`, undefined, marketer)).status,
  ).toBe(202);
  await eventually(
    async () =>
      (await app.api('GET', `/api/v1/campaigns/${c.body.id}`, undefined, marketer)).body.status ===
      'completed',
    `campaign ${name}`,
  );
  return c.body.id as string;
}

async function messageOf(cid: string, customerId: string) {
  const rows = await q<{
    html: string | null;
    text: string;
    metadata: { unsubscribeUrl: string; headers?: Record<string, string> };
    channel: string;
  }>(
    `SELECT m.html, m.text, m.metadata, m.channel FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1 AND r.customer_id = $2`,
    [cid, customerId],
  );
  return rows[0];
}

const stats = async (cid = campaignId) =>
  (await app.api('GET', `/api/v1/campaigns/${cid}/stats`, undefined, marketer)).body;

beforeAll(async () => {
  app = await startTestApp({ MARKETING_CAP_PER_DAY: '10', MARKETING_CAP_PER_WEEK: '10' });
  db = app.hub.app.get(DataSource);
  marketer = (await app.userToken('marketer')).token;
  for (const [channel, body] of [
    [
      'email',
      '<p>Hi {{customer.name}}, code {{code}}: <a href="https://shop.example.com/sale?x=1&amp;y=2">Shop</a> <a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
    ],
    ['sms', 'Sale! Code {{code}} at https://shop.example.com/m?c=1 Reply STOP to opt out'],
  ] as const) {
    const t = await app.api(
      'POST',
      '/api/v1/templates',
      { key: 'sale-links', channel, locale: 'en', subject: 'Sale for {{customer.name}}', body },
      marketer,
    );
    expect(t.status).toBe(201);
  }
  ids.a = await customer('Ann', 'ann@example.com', null);
  ids.b = await customer('Bob', 'bob@example.com', null);
  ids.c = await customer('Cai', null, '+8613900001111', true);
  campaignId = await campaign('Tracked sale');
});
afterAll(async () => {
  await app?.close();
});

describe('Tracking links', () => {
  it('counts an open once per customer from the pixel', async () => {
    const m = await messageOf(campaignId, ids.a);
    const pixel = /src="([^"]+\/t\/o\/[^"]+)"/.exec(m.html ?? '')?.[1];
    expect(pixel).toBeDefined();
    for (let i = 0; i < 2; i++) {
      const r = await fetch(local(pixel!));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('image/gif');
    }
    const broken = await fetch(`${app.url}/t/o/bogus.gif`);
    expect(broken.status).toBe(200);
    const s = await stats();
    expect(s.opened).toBe(1);
    expect(s.byChannel.email.opened).toBe(1);
  });

  it('redirects a signed click link to its destination only, and refuses a tampered one without redirecting', async () => {
    const m = await messageOf(campaignId, ids.a);
    expect(m.html).not.toContain('https://shop.example.com/sale');
    const link = /href="([^"]+\/t\/c\/[^"]+)"/.exec(m.html ?? '')?.[1];
    expect(link).toBeDefined();
    const ok = await fetch(local(link!), { redirect: 'manual' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('https://shop.example.com/sale?x=1&y=2');

    const token = link!.split('/t/c/')[1];
    const [body, sig] = token.split('.');
    const evil = Buffer.from(
      Buffer.from(body, 'base64url')
        .toString()
        .replace('https://shop.example.com/sale?x=1&y=2', 'https://evil.example.net/'),
    ).toString('base64url');
    // Tampered signatures that always differ from the real one: a changed first character, and the
    // same bytes spelled with the last character's unused bits set.
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    const lastBits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const lookAlike = sig.slice(0, -1) + lastBits[lastBits.indexOf(sig.slice(-1)) ^ 1];
    expect(Buffer.from(lookAlike, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    for (const bad of [
      `${evil}.${sig}`,
      `${body}.${flipped}`,
      `${body}.${lookAlike}`,
      'nonsense',
      `${body}`,
    ]) {
      const r = await fetch(`${app.url}/t/c/${bad}`, { redirect: 'manual' });
      expect(r.status).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(((await r.json()) as { message: string }).message).toContain('token');
    }
    expect((await stats()).clicked).toBe(1);
  });

  it('shortens SMS links and counts their clicks', async () => {
    const m = await messageOf(campaignId, ids.c);
    expect(m.channel).toBe('sms');
    expect(m.text).not.toContain('shop.example.com');
    const short = /(http:\/\/\S+\/s\/[A-Za-z0-9_-]+)/.exec(m.text)?.[1];
    expect(short).toBeDefined();
    const r = await fetch(local(short!), { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('https://shop.example.com/m?c=1');
    expect((await fetch(`${app.url}/s/zzzzzzzz`, { redirect: 'manual' })).status).toBe(404);
    expect((await stats()).byChannel.sms.clicked).toBe(1);
  });

  it('unsubscribes in one click (RFC 8058) without a cookie or redirect, and a later campaign suppresses the customer', async () => {
    const m = await messageOf(campaignId, ids.a);
    expect(m.metadata.headers).toEqual({
      'List-Unsubscribe': `<${m.metadata.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const url = local(m.metadata.unsubscribeUrl);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');

    const post = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('location')).toBeNull();
    expect(post.headers.get('set-cookie')).toBeNull();
    const again = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(again.status).toBe(200);
    const ledger = (await app.api('GET', `/api/v1/customers/${ids.a}/consents`)).body as Array<{
      channel: string;
      purpose: string;
      status: string;
      source: string;
    }>;
    const revoked = (
      Array.isArray(ledger) ? ledger : (ledger as unknown as { items: typeof ledger }).items
    ).filter((c) => c.status === 'revoked');
    expect(revoked).toEqual([
      expect.objectContaining({
        channel: 'email',
        purpose: 'marketing',
        source: 'unsubscribe-link',
      }),
    ]);
    const tampered = await fetch(url.slice(0, -3) + 'xyz', {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
    });
    expect(tampered.status).toBe(400);

    laterId = await campaign('Later sale');
    const rows = await q<{ customer_id: string; status: string; suppression: string | null }>(
      `SELECT customer_id, status, suppression FROM campaign_recipients WHERE campaign_id = $1`,
      [laterId],
    );
    expect(rows.find((r) => r.customer_id === ids.a)).toEqual(
      expect.objectContaining({ status: 'suppressed', suppression: 'noConsent' }),
    );
  });
});

describe('Attribution', () => {
  it('attributes a reply within 72 hours to the campaign', async () => {
    const r = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'email',
      from: 'bob@example.com',
      text: 'Is the code valid on shoes?',
    });
    expect(r.status).toBeLessThan(300);
    await eventually(async () => (await stats()).replied === 1, 'the reply to count');
    expect((await stats()).byChannel.email.replied).toBe(1);
  });

  it('records a conversion against the last campaign touch, idempotently per order', async () => {
    const body = { customerId: ids.b, orderId: 'ORD-1', amount: 99.5, currency: 'USD' };
    const first = await app.api('POST', '/api/v1/conversions', body, marketer);
    expect(first.status).toBe(201);
    expect(first.body.campaignId).toBe(laterId);
    expect(first.body.channel).toBe('email');
    const again = await app.api('POST', '/api/v1/conversions', body, marketer);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(
      (await app.api('POST', '/api/v1/conversions', { ...body, customerId: ids.c }, marketer))
        .status,
    ).toBe(409);
    expect((await stats(campaignId)).converted).toBe(0);
    const s = await stats(laterId);
    expect(s.converted).toBe(1);
    expect(s.revenue).toBe(99.5);
    expect(s.byChannel.email.costPerConversion).toBeCloseTo(s.byChannel.email.cost, 6);
    expect(s.rates.conversion).toBeGreaterThan(0);
  });

  it('refuses bad conversions with the field named', async () => {
    const ok = { customerId: ids.b, orderId: 'ORD-2', amount: 1, currency: 'USD' };
    for (const [patch, field] of [
      [{ amount: -1 }, 'amount'],
      [{ currency: 'usd' }, 'currency'],
      [{ customerId: 'x' }, 'customerId'],
      [{ orderId: '' }, 'orderId'],
    ] as const) {
      const r = await app.api('POST', '/api/v1/conversions', { ...ok, ...patch }, marketer);
      expect([r.status, field]).toEqual([400, field]);
      expect(r.body.message).toContain(field);
    }
    expect(
      (
        await app.api(
          'POST',
          '/api/v1/conversions',
          { ...ok, customerId: '00000000-0000-4000-8000-000000000000' },
          marketer,
        )
      ).status,
    ).toBe(404);
    expect(
      (await app.api('POST', '/api/v1/conversions', ok, (await app.userToken('agent')).token))
        .status,
    ).toBe(403);
  });
});

describe('Customer intelligence and service KPIs', () => {
  it('scores RFM tiers on demand, flags a customer gone quiet, and segments by both', async () => {
    const buyers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await app.api('POST', '/api/v1/customers', {
        displayName: `Buyer ${i}`,
        identities: [{ channel: 'email', address: `buyer${i}@example.com` }],
      });
      buyers.push(r.body.id);
      const at = new Date(Date.now() - (5 - i) * 20 * 86_400_000).toISOString();
      expect(
        (
          await app.api(
            'POST',
            '/api/v1/conversions',
            {
              customerId: r.body.id,
              orderId: `B-${i}`,
              amount: 10 * (i + 1) ** 2,
              currency: 'CNY',
              occurredAt: at,
            },
            marketer,
          )
        ).status,
      ).toBe(201);
    }
    const quiet = buyers[0];
    await q(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, created_at)
       SELECT $1, 'inbound', 'message', 'email', 'delivered', 'hello', now() - make_interval(days => 40 + g * 5) FROM generate_series(1, 24) g`,
      [quiet],
    );
    const r = await app.api('POST', '/api/v1/analytics/rfm/recompute', undefined, marketer);
    expect(r.status).toBe(200);
    expect(r.body.customers).toBeGreaterThanOrEqual(8);
    const top = (
      await app.api('GET', `/api/v1/analytics/customers/${buyers[4]}`, undefined, marketer)
    ).body;
    expect(top.scores.r).toBeGreaterThanOrEqual(4);
    expect(top.scores.m).toBe(5);
    expect(top.tier).toBe('core');
    const none = (await app.api('GET', `/api/v1/analytics/customers/${ids.a}`, undefined, marketer))
      .body;
    expect(none.tier).toBe('edge');
    const gone = (await app.api('GET', `/api/v1/analytics/customers/${quiet}`, undefined, marketer))
      .body;
    expect(gone.churnRisk).toBe(true);
    expect(gone.contacts.baselinePerMonth).toBeGreaterThanOrEqual(1);
    expect(
      (
        await app.api(
          'POST',
          '/api/v1/campaigns/segments/preview',
          { segment: { rfm: { churnRisk: true } } },
          marketer,
        )
      ).body,
    ).toEqual({ count: 1 });
    expect(
      (
        await app.api(
          'POST',
          '/api/v1/campaigns/segments/preview',
          { segment: { tier: 'core' } },
          marketer,
        )
      ).body.count,
    ).toBeGreaterThanOrEqual(1);
    const tiers = (await app.api('GET', '/api/v1/analytics/rfm/tiers', undefined, marketer)).body
      .tiers as Array<{ tier: string; customers: number }>;
    expect(tiers.reduce((s, t) => s + t.customers, 0)).toBe(r.body.customers);
    expect(
      (await app.api('GET', '/api/v1/analytics/customers/not-a-uuid', undefined, marketer)).status,
    ).toBe(400);
  });

  it('reports first-response, resolution, SLA attainment by channel and the CSAT trend for supervisors', async () => {
    const sup = (await app.userToken('supervisor')).token;
    const r = await app.api('GET', '/api/v1/analytics/service?by=channel', undefined, sup);
    expect(r.status).toBe(200);
    const email = (
      r.body.groups as Array<{ key: string; conversations: number; resolutionRate: number }>
    ).find((g) => g.key === 'email');
    expect(email?.conversations).toBeGreaterThanOrEqual(1);
    expect(
      (await app.api('GET', '/api/v1/analytics/service?by=planet', undefined, sup)).body.message,
    ).toContain('by');
    expect(
      (await app.api('GET', '/api/v1/analytics/service?from=yesterday', undefined, sup)).status,
    ).toBe(400);
    expect((await app.api('GET', '/api/v1/analytics/service', undefined, marketer)).status).toBe(
      403,
    );

    const [conv] = await q<{ id: string }>(
      `INSERT INTO conversations (customer_id, status) VALUES ($1, 'resolved') RETURNING id`,
      [ids.c],
    );
    await q(
      `INSERT INTO csat_responses (conversation_id, customer_id, score, created_at) VALUES ($1, $2, 5, now()), ($1, $2, 3, now()), ($1, $2, 1, now() - interval '14 days')`,
      [conv.id, ids.c],
    );
    const csat = await app.api('GET', '/api/v1/analytics/csat?weeks=4', undefined, sup);
    expect(csat.status).toBe(200);
    expect(csat.body.weeks[csat.body.weeks.length - 1]).toEqual(
      expect.objectContaining({ responses: 2, average: 4 }),
    );
    expect(csat.body.weeks[0]).toEqual(expect.objectContaining({ responses: 1, average: 1 }));
    expect(
      (await app.api('GET', '/api/v1/analytics/csat?weeks=0', undefined, sup)).body.message,
    ).toContain('weeks');
  });
});
