import { DataSource } from 'typeorm';
import { DomainEvents, type DomainEventMap } from '../../src/events/domain-events';
import { LinkSigner } from '../../src/tracking/link-signer';
import { signPreferenceToken } from '../../src/tracking/preference-links';
import { TrackingService } from '../../src/tracking/tracking.service';
import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let db: DataSource;
let n = 0;

const order = {
  id: 'A-1',
  total: 10,
  currency: 'CNY',
  carrier: 'SF',
  shippedAt: '2025-03-10T04:00:00Z',
  trackingUrl: 'https://t.example/1',
};
const welcome = {
  offer: { percent: 10, code: 'HELLO', until: '2030-01-01T00:00:00Z' },
  unsubscribeUrl: 'https://hub.example/u/x',
};

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

/** Links are minted with PUBLIC_URL (http://localhost:0 under test); point them at the test server. */
const local = (url: string) => url.replace(/^http:\/\/localhost:\d+/, app.url);

/** A customer with an e-mail and a phone, marketing allowed on both. */
async function newCustomer(locale = 'en'): Promise<{ id: string; email: string; phone: string }> {
  n++;
  const email = `carol${n}@example.com`;
  const phone = `+861381234${String(5600 + n).padStart(4, '0')}`;
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: `Carol <b>${n}</b>`,
    locale,
    timezone: 'Asia/Shanghai',
    identities: [
      { channel: 'email', address: email },
      { channel: 'sms', address: phone },
    ],
  });
  expect(r.status).toBe(201);
  for (const channel of ['email', 'sms'])
    expect(
      (
        await app.api('POST', `/api/v1/customers/${r.body.id}/consents`, {
          channel,
          purpose: 'marketing',
          status: 'granted',
          source: 'signup form',
        })
      ).status,
    ).toBe(201);
  return { id: r.body.id as string, email, phone };
}

async function pageUrl(customerId: string): Promise<string> {
  const r = await app.api('POST', `/api/v1/customers/${customerId}/preference-link`);
  expect(r.status).toBe(200);
  return local(r.body.url as string);
}

async function post(url: string, fields: Record<string, string>, userAgent = 'PrefsTest/1.0') {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

function preview(customerId: string, extra: Record<string, unknown> = {}) {
  return app.api('POST', '/api/v1/routing/preview', {
    customerId,
    topic: 'promo',
    urgency: 'normal',
    purpose: 'marketing',
    template: 'welcome',
    data: welcome,
    ...extra,
  });
}

function listen<K extends keyof DomainEventMap>(event: K): DomainEventMap[K][] {
  const seen: DomainEventMap[K][] = [];
  app.hub.app.get(DomainEvents).on(event, (p) => void seen.push(p));
  return seen;
}

beforeAll(async () => {
  app = await startTestApp({ PREFERENCE_LINK_TTL_DAYS: '30' });
  db = app.hub.app.get(DataSource);
});
afterAll(() => app.close());

describe('Preference centre', () => {
  it('issues a staff link valid PREFERENCE_LINK_TTL_DAYS, audited, by POST and by GET', async () => {
    const c = await newCustomer();
    const r = await app.api('POST', `/api/v1/customers/${c.id}/preference-link`);
    expect(r.status).toBe(200);
    expect(r.body.url).toMatch(/^http:\/\/localhost:\d+\/p\/[\w-]+\.[\w-]+$/);
    const days = (Date.parse(r.body.expiresAt as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const marketer = (await app.userToken('marketer')).token;
    const got = await app.api(
      'GET',
      `/api/v1/customers/${c.id}/preference-link`,
      undefined,
      marketer,
    );
    expect(got.status).toBe(200);
    expect(got.body.url).toContain('/p/');
    const audit = await q(
      `SELECT action FROM audit_log WHERE entity_type = 'customer' AND entity_id = $1 AND action = 'customer.preference-link'`,
      [c.id],
    );
    expect(audit).toHaveLength(2);
    const missing = await app.api(
      'POST',
      '/api/v1/customers/00000000-0000-4000-8000-000000000000/preference-link',
    );
    expect(missing.status).toBe(404);
    expect((await app.api('POST', '/api/v1/customers/nope/preference-link')).status).toBe(400);
  });

  it('shows the page in the customer language, with a switch, masked addresses and no cache', async () => {
    const c = await newCustomer('zh-CN');
    const url = await pageUrl(c.id);
    const zh = await fetch(url);
    expect(zh.status).toBe(200);
    expect(zh.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(zh.headers.get('cache-control')).toBe('no-store');
    expect(zh.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await zh.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('联系方式偏好');
    expect(html).toContain('c***@example.com');
    expect(html).toMatch(/138\*\*\*\*\d{4}/);
    expect(html).not.toContain(c.email);
    expect(html).not.toContain(c.phone.slice(3));
    // The name is escaped, and the page has no script at all.
    expect(html).toContain('Carol &lt;b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Asia/Shanghai');
    const en = await (await fetch(`${url}?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('How we reach you');
    expect(en).toContain('Security alerts and service outages always reach you');
  });

  it('revokes and grants consent through the ledger with the page as evidence, and routing follows', async () => {
    const c = await newCustomer();
    const url = await pageUrl(c.id);
    const changed = listen('consent.changed');
    // Channels first: SMS for offers, then e-mail.
    const add = await post(`${url}/matrix`, {
      lang: 'en',
      action: 'add',
      topic: 'promo',
      urgency: '*',
      channel1: 'sms',
      channel2: 'email',
      channel3: '',
    });
    expect(add.status).toBe(303);
    const before = await preview(c.id);
    expect(before.status).toBe(200);
    expect(before.body.route.channel).toBe('sms');
    expect(before.body.route.reasons[0]).toBe('sms chosen: preference matrix for promo/normal');

    const revoke = await post(`${url}/consent`, {
      lang: 'en',
      channel: 'sms',
      purpose: 'marketing',
      status: 'revoked',
    });
    expect(revoke.status).toBe(303);
    const location = revoke.headers.get('location')!;
    expect(location).toMatch(/^\.\.\/[\w.-]+\?lang=en&done=done.revoked&ch=sms&pu=marketing$/);
    const after = await preview(c.id);
    expect(after.status).toBe(200);
    expect(after.body.route.channel).toBe('email');
    expect(after.body.route.reasons).toContain('sms excluded: consent revoked for marketing');

    const ledger = (await app.api('GET', `/api/v1/customers/${c.id}/consents`)).body.items;
    expect(ledger[0]).toMatchObject({
      channel: 'sms',
      purpose: 'marketing',
      status: 'revoked',
      source: 'preference-centre',
      evidence: {
        page: 'preference-centre',
        ip: expect.stringMatching(/127\.0\.0\.1/),
        userAgent: 'PrefsTest/1.0',
        tokenIssuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    expect(changed).toContainEqual({
      customerId: c.id,
      channel: 'sms',
      purpose: 'marketing',
      status: 'revoked',
      source: 'preference-centre',
    });
    // The page, followed from the redirect, says what happened.
    const shown = await (await fetch(new URL(location, `${url}/consent`))).text();
    expect(shown).toContain('Saved: Offers and news by SMS stopped.');
    expect(shown).toContain('data-testid="consent-sms-marketing"');

    const resubscribe = await post(`${url}/consent`, {
      channel: 'sms',
      purpose: 'marketing',
      status: 'granted',
    });
    expect(resubscribe.status).toBe(303);
    expect((await preview(c.id)).body.route.channel).toBe('sms');
  });

  it('records matrix, quiet-hours and time-zone changes in the preference ledger and emits them', async () => {
    const c = await newCustomer();
    const url = await pageUrl(c.id);
    const changed = listen('preferences.changed');
    expect(
      (
        await post(`${url}/matrix`, {
          action: 'add',
          topic: 'orders',
          urgency: 'high',
          channel1: 'sms',
          channel2: 'email',
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await post(`${url}/matrix`, {
          action: 'save',
          row: '0',
          was: 'orders|high',
          topic: 'orders',
          urgency: 'high',
          channel1: 'email',
          channel2: '',
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await post(`${url}/quiet-hours`, {
          quietStart: '21:30',
          quietEnd: '07:15',
          timezone: 'Europe/Berlin',
        })
      ).status,
    ).toBe(303);
    const customer = (await app.api('GET', `/api/v1/customers/${c.id}`)).body;
    expect(customer.preferences).toEqual({
      matrix: [{ topic: 'orders', urgency: 'high', channels: ['email'] }],
      quietHours: { start: '21:30', end: '07:15' },
    });
    expect(customer.timezone).toBe('Europe/Berlin');
    const ledger = await q<{
      field: string;
      before: unknown;
      after: unknown;
      source: string;
      evidence: Record<string, unknown>;
    }>(
      `SELECT field, before, after, source, evidence FROM preference_changes WHERE customer_id = $1 ORDER BY seq`,
      [c.id],
    );
    expect(ledger.map((l) => l.field)).toEqual(['matrix', 'matrix', 'quietHours', 'timezone']);
    expect(ledger[1]).toMatchObject({
      before: [{ topic: 'orders', urgency: 'high', channels: ['sms', 'email'] }],
      after: [{ topic: 'orders', urgency: 'high', channels: ['email'] }],
      source: 'preference-centre',
    });
    expect(ledger[3]).toMatchObject({ before: 'Asia/Shanghai', after: 'Europe/Berlin' });
    for (const l of ledger)
      expect(l.evidence).toEqual({
        page: 'preference-centre',
        ip: expect.any(String),
        userAgent: 'PrefsTest/1.0',
        tokenIssuedAt: expect.any(String),
      });
    expect(changed.map((e) => e.fields)).toEqual([
      ['matrix'],
      ['matrix'],
      ['quietHours', 'timezone'],
    ]);
    // The ledger is append-only.
    await expect(
      db.query(`UPDATE preference_changes SET source = 'x' WHERE customer_id = $1`, [c.id]),
    ).rejects.toThrow(/append-only/);
    // Removing the row, then quiet hours off.
    expect(
      (
        await post(`${url}/matrix`, {
          action: 'remove',
          row: '0',
          was: 'orders|high',
          topic: 'orders',
          urgency: 'high',
          channel1: 'email',
        })
      ).status,
    ).toBe(303);
    expect((await post(`${url}/quiet-hours`, { off: '1', timezone: 'Europe/Berlin' })).status).toBe(
      303,
    );
    expect((await app.api('GET', `/api/v1/customers/${c.id}`)).body.preferences).toEqual({
      matrix: [],
      quietHours: null,
    });
    // A row that moved meanwhile: the page was stale.
    const stale = await post(`${url}/matrix`, {
      action: 'save',
      row: '0',
      was: 'orders|high',
      topic: 'orders',
      urgency: 'high',
      channel1: 'sms',
    });
    expect(stale.status).toBe(409);
    // The staff API's changes go into the same ledger.
    await app.api('PUT', `/api/v1/customers/${c.id}/preferences`, {
      matrix: [{ topic: '*', urgency: 'critical', channels: ['voice'] }],
    });
    const api = await q<{ source: string; actor_id: string | null }>(
      `SELECT source, actor_id FROM preference_changes WHERE customer_id = $1 ORDER BY seq DESC LIMIT 1`,
      [c.id],
    );
    expect(api[0].source).toBe('api');
    expect(api[0].actor_id).not.toBeNull();
  });

  it('refuses to switch off service messages, and says why', async () => {
    const c = await newCustomer('zh-CN');
    const url = await pageUrl(c.id);
    for (const purpose of ['service', 'transactional']) {
      const r = await post(`${url}/consent`, { channel: 'sms', purpose, status: 'revoked' });
      expect([purpose, r.status]).toEqual([purpose, 403]);
      const html = await r.text();
      expect(html).toContain('服务消息（安全警报、服务中断、您的订单）无法在此关闭');
    }
    const en = await post(`${url}/consent`, {
      lang: 'en',
      channel: 'email',
      purpose: 'service',
      status: 'revoked',
    });
    expect(await en.text()).toContain(
      'Service messages (security alerts, outages, your orders) cannot be switched off here',
    );
    const revoked = await q(
      `SELECT 1 FROM consents WHERE customer_id = $1 AND status = 'revoked'`,
      [c.id],
    );
    expect(revoked).toHaveLength(0);
    // The page offers no button to do it.
    const page = await (await fetch(url)).text();
    expect(page).not.toContain('data-testid="consent-sms-service"');
    expect(page).toContain('始终开启');
  });

  it('answers bad input with a 400 page naming the problem, never a 500', async () => {
    const c = await newCustomer();
    const url = await pageUrl(c.id);
    const cases: Array<[string, Record<string, string>, string]> = [
      [
        'matrix',
        { action: 'add', topic: 'promo', urgency: '*', channel1: 'fax' },
        'Channels: choose channels',
      ],
      [
        'matrix',
        { action: 'add', topic: 'x'.repeat(65), urgency: '*', channel1: 'sms' },
        'Topic: 1 to 64',
      ],
      [
        'matrix',
        { action: 'add', topic: '<script>', urgency: '*', channel1: 'sms' },
        'Topic: 1 to 64',
      ],
      [
        'matrix',
        { action: 'add', topic: 'promo', urgency: 'asap', channel1: 'sms' },
        'Urgency: choose',
      ],
      [
        'matrix',
        { action: 'add', topic: 'promo', urgency: '*', channel1: 'sms', channel2: 'sms' },
        'none twice',
      ],
      [
        'quiet-hours',
        { quietStart: '25:00', quietEnd: '07:00', timezone: 'UTC' },
        'times must look like 22:00',
      ],
      [
        'quiet-hours',
        { quietStart: '22:00', quietEnd: '07:00', timezone: 'Mars/Olympus' },
        'Time zone: choose',
      ],
      ['consent', { channel: 'sms', purpose: 'spam', status: 'revoked' }, 'Purpose: choose'],
      [
        'consent',
        { channel: 'sms', purpose: 'marketing', status: 'maybe' },
        'Choose allow or stop',
      ],
    ];
    for (const [form, fields, says] of cases) {
      const r = await post(`${url}/${form}`, { lang: 'en', ...fields });
      const html = await r.text();
      expect([form, fields, r.status]).toEqual([form, fields, 400]);
      expect(html).toContain(says);
      expect(html).not.toContain('<script>');
    }
    const json = await fetch(`${url}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"channel":"sms"}',
    });
    expect(json.status).toBe(400);
    expect((await app.api('GET', `/api/v1/customers/${c.id}`)).body.preferences).toEqual({
      matrix: [],
      quietHours: null,
    });
  });

  it('refuses forged, tampered, other-kind and expired links with a page, in both languages when expired', async () => {
    const c = await newCustomer('zh-CN');
    const url = await pageUrl(c.id);
    const token = url.slice(url.lastIndexOf('/') + 1);
    const tracking = app.hub.app.get(TrackingService);
    const forged = signPreferenceToken(
      new LinkSigner('another-secret'),
      c.id,
      new Date(),
      30,
    ).token;
    const wrongKind = tracking.signer.sign('u', [c.id, c.id, 'email']);
    const [body, mac] = token.split('.');
    const tampered = `${body.slice(0, -2)}${body.endsWith('AA') ? 'BB' : 'AA'}.${mac}`;
    for (const bad of [forged, wrongKind, tampered, 'not-a-token', `${token}x`]) {
      for (const path of ['', '/consent']) {
        const r = path
          ? await post(`${app.url}/p/${bad}${path}`, {
              channel: 'sms',
              purpose: 'marketing',
              status: 'revoked',
            })
          : await fetch(`${app.url}/p/${bad}`);
        expect([bad, path, r.status]).toEqual([bad, path, 400]);
        expect(r.headers.get('content-type')).toContain('text/html');
        const html = await r.text();
        expect(html).toContain('This link is not valid');
        expect(html).toContain('此链接无效');
      }
    }
    const expired = signPreferenceToken(
      tracking.signer,
      c.id,
      new Date(Date.now() - 31 * 86_400_000),
      30,
    ).token;
    const r = await fetch(`${app.url}/p/${expired}`, {
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(r.status).toBe(410);
    const html = await r.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/此链接已于 \d{4}-\d\d-\d\d 过期/);
    expect(html).toMatch(/This link expired on \d{4}-\d\d-\d\d/);
    const change = await post(`${app.url}/p/${expired}/consent`, {
      channel: 'sms',
      purpose: 'marketing',
      status: 'revoked',
    });
    expect(change.status).toBe(410);
    expect(
      await q(`SELECT 1 FROM consents WHERE customer_id = $1 AND status = 'revoked'`, [c.id]),
    ).toHaveLength(0);
  });

  it('explains why the latest messages came the way they did, in plain words', async () => {
    const c = await newCustomer();
    await app.api('PUT', `/api/v1/customers/${c.id}/preferences`, {
      matrix: [{ topic: 'orders', urgency: 'normal', channels: ['sms', 'email'] }],
    });
    const sent = await app.api('POST', '/api/v1/messages', {
      customerId: c.id,
      topic: 'orders',
      urgency: 'normal',
      purpose: 'transactional',
      template: 'order-shipped',
      data: { order },
    });
    expect(sent.status).toBe(202);
    const url = await pageUrl(c.id);
    const en = await (await fetch(url)).text();
    expect(en).toContain('By SMS because you chose SMS for Order updates, normal.');
    const zh = await (await fetch(`${url}?lang=zh-CN`)).text();
    expect(zh).toContain('通过短信发送，因为您为“订单动态，一般”选择了短信。');
  });

  it('fills preferencesUrl in marketing messages, and template previews do not need it', async () => {
    const c = await newCustomer();
    const shown = await preview(c.id, { channel: 'email' });
    expect(shown.status).toBe(200);
    const link = /href="(http:\/\/localhost:\d+\/p\/[^"]+)"/.exec(
      shown.body.rendered.html as string,
    );
    expect(link).not.toBeNull();
    expect((await fetch(local(link![1]))).status).toBe(200);
    const sms = await app.api('POST', '/api/v1/messages', {
      customerId: c.id,
      topic: 'promo',
      urgency: 'normal',
      purpose: 'marketing',
      template: 'welcome',
      channel: 'sms',
      data: welcome,
    });
    expect(sms.status).toBe(202);
    const [row] = await q<{ text: string }>(`SELECT text FROM messages WHERE id = $1`, [
      sms.body.messageId,
    ]);
    const short = /(http:\/\/localhost:\d+\/s\/[\w-]+)/.exec(row.text);
    expect(short).not.toBeNull();
    expect(row.text).not.toContain('/p/');
    const followed = await fetch(local(short![1]), { redirect: 'manual' });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toMatch(/\/p\/[\w-]+\.[\w-]+$/);
    // A marketer's own e-mail that does not show the link gets it as a footer.
    const own = await app.api('POST', '/api/v1/templates', {
      key: 'plain-offer',
      channel: 'email',
      locale: 'en',
      subject: 'Offer',
      body: '<p>Offer for {{customer.name}}</p>',
      purposes: ['marketing'],
    });
    expect(own.status).toBe(201);
    // (A new customer: the first has had its one marketing message of the day.)
    const other = await newCustomer();
    const footer = await preview(other.id, {
      template: 'plain-offer',
      channel: 'email',
      data: {},
    });
    expect(footer.status).toBe(200);
    expect(footer.body.rendered.html).toMatch(
      /<a href="http:\/\/localhost:\d+\/p\/[^"]+">Choose how we reach you<\/a>/,
    );
    expect(footer.body.rendered.text).toMatch(
      /Choose how we reach you: http:\/\/localhost:\d+\/p\//,
    );
    const templatePreview = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'email',
      data: { ...welcome, customer: { name: 'Carol' } },
    });
    expect(templatePreview.status).toBe(200);
    expect(templatePreview.body.html).toContain('/p/preview');
  });
});
