import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
const order = { id: 'C-3003', carrier: 'SF', trackingUrl: 'https://t.example/C' };

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('TemplatesController', () => {
  it('lists shipped templates and shows one with its channels', async () => {
    const list = await app.api('GET', '/api/v1/templates');
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { key: string }) => t.key)).toEqual(
      expect.arrayContaining(['order-shipped', 'welcome']),
    );
    const one = await app.api('GET', '/api/v1/templates/order-shipped');
    expect(one.status).toBe(200);
    expect(one.body.channels).toEqual(expect.arrayContaining(['email', 'sms', 'voice']));
    expect((await app.api('GET', '/api/v1/templates/nope')).status).toBe(404);
  });

  it('previews a template; a missing variable is 422 naming it', async () => {
    const ok = await app.api('POST', '/api/v1/templates/order-shipped/preview', {
      channel: 'sms',
      locale: 'en',
      data: { order },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.text).toContain('C-3003');
    expect(ok.body.segments.segments).toBe(1);
    const missing = await app.api('POST', '/api/v1/templates/order-shipped/preview', {
      channel: 'sms',
      locale: 'en',
      data: { order: { id: 'x' } },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toContain('missing variable "order.carrier"');
  });

  it('falls back to a known locale (zh-TW -> en) and answers clearly for an unknown template or channel', async () => {
    const fallback = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'sms',
      locale: 'zh-TW',
      data: { customer: { name: 'Ada' }, offer: { percent: 10, code: 'HI', until: '2030-01-01' } },
    });
    expect(fallback.status).toBe(200);
    expect(fallback.body.locale).toBe('en');
    const noChannel = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'voice',
      data: {},
    });
    expect(noChannel.status).toBe(404);
    expect(noChannel.body.message).toContain('no template welcome for voice');
    const badLocale = await app.api('POST', '/api/v1/templates/welcome/preview', {
      channel: 'sms',
      locale: 'not a locale',
      data: {},
    });
    expect(badLocale.status).toBe(400);
    expect(badLocale.body.message).toContain('locale');
  });

  it('posts a new version that wins over the file, and the newest version wins', async () => {
    const v1 = await app.api('POST', '/api/v1/templates', {
      key: 'order-shipped',
      channel: 'sms',
      locale: 'en',
      body: 'V1 {{order.id}} shipped',
    });
    expect(v1.status).toBe(201);
    expect(v1.body.version).toBe(1);
    const v2 = await app.api('POST', '/api/v1/templates', {
      key: 'order-shipped',
      channel: 'sms',
      locale: 'en',
      body: 'V2 {{order.id}} is on its way',
    });
    expect(v2.body.version).toBe(2);
    const preview = await app.api('POST', '/api/v1/templates/order-shipped/preview', {
      channel: 'sms',
      locale: 'en',
      data: { order: { id: 'D-4' } },
    });
    expect(preview.body.text).toBe('V2 D-4 is on its way');
    expect(preview.body.version).toBe(2);
    const shown = await app.api('GET', '/api/v1/templates/order-shipped');
    expect(
      shown.body.history
        .filter((h: { channel: string }) => h.channel === 'sms')
        .map((h: { version: number }) => h.version),
    ).toEqual([2, 1]);

    // A brand-new key is routable at once.
    const fresh = await app.api('POST', '/api/v1/templates', {
      key: 'flash-note',
      channel: 'sms',
      locale: 'en',
      body: 'Hello {{customer.name}}',
    });
    expect(fresh.status).toBe(201);
    const list = await app.api('GET', '/api/v1/templates');
    expect(list.body.items.map((t: { key: string }) => t.key)).toContain('flash-note');
  });

  it('refuses a body that does not compile with 400 naming the line', async () => {
    const r = await app.api('POST', '/api/v1/templates', {
      key: 'order-shipped',
      channel: 'sms',
      locale: 'en',
      body: 'Line one\nLine two {{#if order}}\nno close',
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^body: line \d+/);
    const missingField = await app.api('POST', '/api/v1/templates', {
      key: 'order-shipped',
      channel: 'fax',
      locale: 'en',
      body: 'x',
    });
    expect(missingField.status).toBe(400);
    expect(missingField.body.message).toContain('channel');
  });

  it("refuses a body calling Handlebars' log helper with 400 naming the line, and keeps the old version", async () => {
    const r = await app.api('POST', '/api/v1/templates', {
      key: 'order-shipped',
      channel: 'sms',
      locale: 'en',
      body: 'Your order shipped.\n{{log "leak" customer}}',
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^body: line 2: .*helper "log" is not available in templates/);
    const preview = await app.api('POST', '/api/v1/templates/order-shipped/preview', {
      channel: 'sms',
      locale: 'en',
      data: { order },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.text).not.toContain('Your order shipped.');
  });

  it('lets agents read and preview but not write; marketers write', async () => {
    const agent = await app.userToken('agent');
    expect((await app.api('GET', '/api/v1/templates', undefined, agent.token)).status).toBe(200);
    expect(
      (
        await app.api(
          'POST',
          '/api/v1/templates/order-shipped/preview',
          { channel: 'sms', data: { order } },
          agent.token,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await app.api(
          'POST',
          '/api/v1/templates',
          { key: 'x-note', channel: 'sms', locale: 'en', body: 'x' },
          agent.token,
        )
      ).status,
    ).toBe(403);
    const marketer = await app.userToken('marketer');
    const r = await app.api(
      'POST',
      '/api/v1/templates',
      { key: 'x-note', channel: 'sms', locale: 'en', body: 'x' },
      marketer.token,
    );
    expect(r.status).toBe(201);
    expect(r.body.createdBy).toBe(marketer.id);
  });
});
