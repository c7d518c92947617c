import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { orderShippedIntent } from '../support/intents';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/** The template editor's API: drafts, publish, rollback, previews, test sends (issue 19). */
let app: TestApp;
let smtp: SMTPServer;
const received: { to: string[]; raw: Buffer }[] = [];
let seq = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  app = await startTestApp({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    EMAIL_FROM: 'news@hub.example',
  });
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function smsCustomer(): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: `Editor ${++seq}`,
    identities: [{ channel: 'sms', address: `+1415555${String(1000 + seq)}` }],
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** What a send of order-shipped over SMS would say now (routing preview renders as a send does). */
async function sentText(customerId: string): Promise<string> {
  const r = await app.api('POST', '/api/v1/routing/preview', orderShippedIntent(customerId, 'A-7'));
  expect(r.status).toBe(200);
  expect(r.body.route.channel).toBe('sms');
  return r.body.rendered.text as string;
}

const draft = (body: string, extra: Record<string, unknown> = {}) =>
  app.api('POST', '/api/v1/templates/order-shipped/drafts', {
    channel: 'sms',
    locale: 'en',
    body,
    ...extra,
  });

describe('Template versions: draft, publish, rollback', () => {
  it('sends only the published version: a draft waits, publish applies it, rollback restores an earlier one', async () => {
    const customer = await smsCustomer();
    const shipped = await sentText(customer);
    expect(shipped).toContain('A-7');

    const d1 = await draft('DRAFT ONE {{order.id}} via {{order.carrier}}');
    expect(d1.status).toBe(201);
    expect(d1.body).toMatchObject({ state: 'draft', version: 1, channel: 'sms', locale: 'en' });
    expect(await sentText(customer)).toBe(shipped);

    const p1 = await app.api(
      'POST',
      `/api/v1/templates/order-shipped/versions/${d1.body.id}/publish`,
    );
    expect(p1.status).toBe(200);
    expect(p1.body.state).toBe('published');
    expect(await sentText(customer)).toBe('DRAFT ONE A-7 via SF');
    const again = await app.api(
      'POST',
      `/api/v1/templates/order-shipped/versions/${d1.body.id}/publish`,
    );
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('only a draft can be published');

    const d2 = await draft('DRAFT TWO {{order.id}}');
    expect(d2.body.version).toBe(2);
    expect(await sentText(customer)).toBe('DRAFT ONE A-7 via SF');
    await app.api('POST', `/api/v1/templates/order-shipped/versions/${d2.body.id}/publish`);
    expect(await sentText(customer)).toBe('DRAFT TWO A-7');

    const history = await app.api('GET', '/api/v1/templates/order-shipped/versions');
    expect(history.status).toBe(200);
    const states = (history.body.items as { version: number; state: string; channel: string }[])
      .filter((v) => v.channel === 'sms')
      .map((v) => [v.version, v.state]);
    expect(states).toEqual([
      [2, 'published'],
      [1, 'archived'],
    ]);

    const back = await app.api(
      'POST',
      `/api/v1/templates/order-shipped/versions/${d1.body.id}/rollback`,
    );
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ state: 'published', version: 1 });
    expect(await sentText(customer)).toBe('DRAFT ONE A-7 via SF');
    const noDraftRollback = await app.api(
      'POST',
      `/api/v1/templates/order-shipped/versions/${(await draft('D3 {{order.id}}')).body.id}/rollback`,
    );
    expect(noDraftRollback.status).toBe(409);
    expect(
      (await app.api('POST', `/api/v1/templates/welcome/versions/${d1.body.id}/publish`)).status,
    ).toBe(404);
    expect(
      (await app.api('POST', '/api/v1/templates/order-shipped/versions/nope/publish')).status,
    ).toBe(400);
  });

  it('lets a marketer draft and publish marketing templates only', async () => {
    const marketer = (await app.userToken('marketer')).token;
    const admin = await app.api('POST', '/api/v1/templates', {
      key: 'spring-sale',
      channel: 'sms',
      locale: 'en',
      body: 'Spring sale: {{offer.percent}}% off',
      purposes: ['marketing'],
    });
    expect(admin.status).toBe(201);
    const d = await app.api(
      'POST',
      '/api/v1/templates/spring-sale/drafts',
      { channel: 'sms', locale: 'en', body: 'Spring sale now: {{offer.percent}}% off' },
      marketer,
    );
    expect(d.status).toBe(201);
    const p = await app.api(
      'POST',
      `/api/v1/templates/spring-sale/versions/${d.body.id}/publish`,
      undefined,
      marketer,
    );
    expect(p.status).toBe(200);
    const other = await app.api(
      'POST',
      '/api/v1/templates/order-shipped/drafts',
      { channel: 'sms', locale: 'en', body: 'x {{order.id}}' },
      marketer,
    );
    expect(other.status).toBe(403);
    const agent = (await app.userToken('agent')).token;
    expect(
      (
        await app.api(
          'POST',
          `/api/v1/templates/spring-sale/versions/${d.body.id}/rollback`,
          undefined,
          agent,
        )
      ).status,
    ).toBe(403);
  });
});

describe('POST /api/v1/templates/:key/preview', () => {
  it("fills the chosen customer's name and locale and sample system values instead of failing", async () => {
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: '王芳',
      locale: 'zh-CN',
      identities: [{ channel: 'email', address: `wang.${++seq}@example.cn` }],
    });
    expect(c.status).toBe(201);
    // welcome shows {{unsubscribeUrl}} and {{preferencesUrl}}: filled per recipient at send.
    const r = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'email',
      customerId: c.body.id,
      data: { offer: { percent: 10, code: 'HI', until: '2030-01-01' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.subject).toBe('Welcome, 王芳');
    expect(r.body.customer).toEqual({ id: c.body.id, name: '王芳', locale: 'zh-CN' });
    expect(r.body.html).toContain('Welcome aboard, 王芳!');
    expect(r.body.html).toContain(r.body.systemValues.unsubscribeUrl);
    expect(r.body.html).toContain(r.body.systemValues.preferencesUrl);
    expect(r.body.systemValues.unsubscribeUrl).toMatch(/\/u\/preview$/);
    expect(r.body.text).toContain('Welcome aboard, 王芳!');
    expect(r.body.text).not.toContain('<h1>');

    // The customer's locale picks the template: order-shipped has a zh-CN e-mail.
    const zh = await app.api('POST', '/api/v1/templates/order-shipped/preview', {
      channel: 'email',
      customerId: c.body.id,
      data: {
        order: {
          id: 'Z-1',
          carrier: '顺丰',
          trackingUrl: 'https://t.example/z',
          total: 5,
          currency: 'CNY',
          shippedAt: '2025-03-10T04:00:00Z',
        },
      },
    });
    expect(zh.status).toBe(200);
    expect(zh.body.locale).toBe('zh-CN');
    expect(zh.body.html).toContain('王芳，您好！');

    const unknown = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'email',
      customerId: '00000000-0000-4000-8000-000000000000',
      data: {},
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('customer');
  });

  it('renders the editor text unsaved; a missing variable is 422 naming it, a syntax error 400 with the line', async () => {
    const ok = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'email',
      locale: 'en',
      data: {},
      draft: {
        subject: 'Hello {{customer.name}}',
        body: '<p>Hi {{customer.name}}, <a href="{{unsubscribeUrl}}">stop</a></p>',
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.subject).toBe('Hello Alex Example');
    expect(ok.body.version).toBe(0);
    expect(ok.body.html).toContain('/u/preview');
    expect(ok.body.html).toContain('/p/preview'); // the marketing footer, as a send adds it
    expect(ok.body.text).toContain('Hi Alex Example');

    const missing = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'email',
      locale: 'en',
      data: {},
      draft: { body: '<p>Your code: {{coupon.code}}</p>' },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toContain('missing variable "coupon.code"');
    expect(missing.body.variable ?? missing.body.details?.variable ?? 'coupon.code').toBe(
      'coupon.code',
    );

    const syntax = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'sms',
      locale: 'en',
      data: {},
      draft: { body: 'line one\n{{#if x}}never closed' },
    });
    expect(syntax.status).toBe(400);
    expect(syntax.body.message).toMatch(/line \d/);
  });

  it('counts SMS segments: GSM-7 160/153, UCS-2 70/67 for Chinese text', async () => {
    const sms = async (body: string) => {
      const r = await app.api('POST', '/api/v1/templates/welcome/preview', {
        channel: 'sms',
        locale: 'en',
        data: {},
        draft: { body },
      });
      expect(r.status).toBe(200);
      return r.body.segments as {
        encoding: string;
        segments: number;
        units: number;
        perSegment: number;
        characters: number;
      };
    };
    expect(await sms('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      segments: 1,
      units: 160,
      perSegment: 160,
      characters: 160,
    });
    expect(await sms('a'.repeat(161))).toMatchObject({
      encoding: 'GSM-7',
      segments: 2,
      perSegment: 153,
    });
    expect(await sms('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    const zh = '您好，您的订单已发货。'; // 11 characters
    expect(await sms(zh.repeat(7).slice(0, 70))).toEqual({
      encoding: 'UCS-2',
      segments: 1,
      units: 70,
      perSegment: 70,
      characters: 70,
    });
    expect(await sms(zh.repeat(7).slice(0, 71))).toMatchObject({
      encoding: 'UCS-2',
      segments: 2,
      perSegment: 67,
      characters: 71,
    });
    expect(await sms(zh.repeat(13).slice(0, 135))).toMatchObject({ segments: 3 });
    expect(await sms(`Hi 王`)).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });
});

describe("The editor's lookups", () => {
  it('answers the text in use for a slot, and customers to preview for', async () => {
    const file = await app.api(
      'GET',
      '/api/v1/templates/order-shipped/source?channel=sms&locale=zh-CN',
    );
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ origin: 'file', version: 0, subject: null });
    expect(file.body.body).toContain('{{order.carrier}}');
    const none = await app.api(
      'GET',
      '/api/v1/templates/order-shipped/source?channel=wechat&locale=zh-CN',
    );
    expect(none.status).toBe(404);
    const bad = await app.api(
      'GET',
      '/api/v1/templates/order-shipped/source?channel=fax&locale=en',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('channel');

    const c = await app.api('POST', '/api/v1/customers', {
      displayName: 'Zoë Finder',
      locale: 'en',
      identities: [{ channel: 'email', address: `zoe.finder.${++seq}@example.com` }],
    });
    const marketer = (await app.userToken('marketer')).token;
    const byName = await app.api(
      'GET',
      '/api/v1/templates/welcome/preview-customers?q=zoë',
      undefined,
      marketer,
    );
    expect(byName.status).toBe(200);
    expect(byName.body.items).toEqual([{ id: c.body.id, displayName: 'Zoë Finder', locale: 'en' }]);
    const byAddress = await app.api(
      'GET',
      '/api/v1/templates/welcome/preview-customers?q=zoe.finder',
      undefined,
      marketer,
    );
    expect(byAddress.body.items.map((i: { id: string }) => i.id)).toEqual([c.body.id]);
    const wildcard = await app.api(
      'GET',
      '/api/v1/templates/welcome/preview-customers?q=%25',
      undefined,
      marketer,
    );
    expect(wildcard.body.items).toEqual([]);
    const agent = (await app.userToken('agent')).token;
    expect(
      (await app.api('GET', '/api/v1/templates/welcome/preview-customers?q=zo', undefined, agent))
        .status,
    ).toBe(403);
  });
});

describe('POST /api/v1/templates/:key/test-send', () => {
  it("sends the rendered e-mail to the signed-in user's address over SMTP", async () => {
    const marketer = await app.userToken('marketer', 'Mia Marketer');
    const me = await app.api('GET', '/api/v1/auth/me', undefined, marketer.token);
    const r = await app.api(
      'POST',
      '/api/v1/templates/welcome/test-send',
      {
        locale: 'en',
        data: { offer: { percent: 15, code: 'TEST15', until: '2030-01-01' } },
        draft: {
          subject: 'Test of {{offer.code}}',
          body: '<p>Take {{offer.percent}}% off, {{customer.name}}</p>',
        },
      },
      marketer.token,
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      to: me.body.email,
      subject: '[Test] Test of TEST15',
      transport: 'live',
    });
    const mail = await eventually(
      async () => received.find((m) => m.to.includes(me.body.email as string)),
      'the test e-mail at the SMTP server',
    );
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe('[Test] Test of TEST15');
    expect(parsed.html).toContain('Take 15% off, Alex Example');
    expect(parsed.text).toContain('Take 15% off, Alex Example');

    const broken = await app.api(
      'POST',
      '/api/v1/templates/welcome/test-send',
      { locale: 'en', data: {}, draft: { body: '<p>{{offer.code}}</p>' } },
      marketer.token,
    );
    expect(broken.status).toBe(422);
    expect(broken.body.message).toContain('offer.code');
  });
});
