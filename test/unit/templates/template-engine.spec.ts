import { join } from 'path';
import { TemplateEngine, TemplateError } from '../../../src/templates';

const root = join(__dirname, '../../../templates');
const order = {
  customer: { name: 'Ada' },
  order: {
    id: 'A-1001',
    total: 1234.5,
    currency: 'CNY',
    carrier: 'SF Express',
    shippedAt: '2025-03-10T04:00:00Z',
    trackingUrl: 'https://t.example/A-1001',
  },
};

function thrown(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe(TemplateEngine.name, () => {
  const engine = new TemplateEngine({ directory: root });

  it('renders an email inside its layout with a text alternative and a subject', () => {
    const out = engine.render('order-shipped', 'email', { locale: 'en', data: order });
    expect(out.subject).toBe('Your order A-1001 has shipped');
    expect(out.html).toContain('<!DOCTYPE html>');
    expect(out.html).toContain('<strong>A-1001</strong>');
    expect(out.html).toContain('CN¥1,234.50');
    expect(out.html).toContain('March 10, 2025');
    expect(out.text).toContain('Your order A-1001');
    expect(out.text).not.toContain('<');
    expect(out.text).toContain('The Customer Care team');
    expect(out).toMatchObject({ channel: 'email', locale: 'en', variant: null, version: 0 });
  });

  it('formats currency and dates for zh-CN and uses the Chinese partial', () => {
    const out = engine.render('order-shipped', 'email', { locale: 'zh-CN', data: order });
    expect(out.subject).toBe('您的订单 A-1001 已发货');
    expect(out.html).toContain('¥1,234.50');
    expect(out.html).toContain('2025年3月10日');
    expect(out.html).toContain('客户服务团队');
    expect(out.locale).toBe('zh-CN');
  });

  it('formats USD in en and the time in the given timezone', () => {
    const out = engine.render('appointment-reminder', 'sms', {
      locale: 'en',
      timezone: 'Asia/Shanghai',
      data: { appointment: { at: '2025-03-10T04:00:00Z', location: 'Main St' } },
    });
    expect(out.text).toContain('3/10/25, 12:00');
  });

  it('falls back zh-CN -> zh -> en when no Chinese version exists', () => {
    const out = engine.render('order-shipped', 'wechat', { locale: 'zh-CN', data: order });
    expect(out.locale).toBe('en');
    expect(out.text).toContain('A-1001');
  });

  it('zh-TW does not borrow zh-CN: it falls back to en', () => {
    expect(
      engine.render('sms-help', 'sms', { locale: 'zh-TW', data: { company: 'Acme' } }).locale,
    ).toBe('en');
  });

  it('zh-CN uses a zh version when there is no zh-CN one', () => {
    const local = new TemplateEngine();
    local.setOverride({ key: 'k', channel: 'sms', locale: 'zh', body: '中文', version: 1 });
    local.setOverride({ key: 'k', channel: 'sms', locale: 'en', body: 'english', version: 1 });
    expect(local.render('k', 'sms', { locale: 'zh-CN', data: {} })).toMatchObject({
      text: '中文',
      locale: 'zh',
    });
  });

  it('picks the tone variant from the customer attributes, else the default variant', () => {
    const data = {
      customer: { name: 'Ada' },
      appointment: { id: 'AP-7', at: '2025-03-10T04:00:00Z', location: 'Lab 2' },
    };
    const technical = engine.render('appointment-reminder', 'email', {
      locale: 'en',
      attributes: { tone: 'technical' },
      data,
    });
    expect(technical.variant).toBe('technical');
    expect(technical.subject).toBe('Appointment AP-7: 3/10/25, 4:00 AM');
    const friendly = engine.render('appointment-reminder', 'email', {
      locale: 'en',
      attributes: { tone: 'friendly' },
      data,
    });
    expect(friendly.variant).toBeNull();
    expect(friendly.html).toContain('Hello Ada');
  });

  it('counts sms segments of the rendered text', () => {
    const out = engine.render('order-shipped', 'sms', { locale: 'zh-CN', data: order });
    expect(out.segments).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    const en = engine.render('order-shipped', 'sms', { locale: 'en', data: order });
    expect(en.segments).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('does not HTML-escape plain-text channels', () => {
    const out = engine.render('agent-reply', 'sms', {
      locale: 'en',
      data: { text: 'Tom & Jerry <3 "quotes"' },
    });
    expect(out.text).toBe('Tom & Jerry <3 "quotes"');
  });

  it('escapes HTML in email by default', () => {
    const out = engine.render('agent-reply', 'email', {
      locale: 'en',
      data: { subject: 'Re: help', text: '<script>alert(1)</script> & more' },
    });
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('You can reply to this email');
    expect(out.subject).toBe('Re: help');
  });

  it('renders voice as plain speech text', () => {
    const out = engine.render('order-shipped', 'voice', { locale: 'en', data: order });
    expect(out.text).toBe(
      'Hello Ada. This is a message about your order A-1001. It shipped on March 10, 2025 with SF Express. Thank you.',
    );
  });

  it('names the full path of a missing variable', () => {
    const error = thrown(() =>
      engine.render('order-shipped', 'sms', {
        locale: 'en',
        data: { order: { carrier: 'x', trackingUrl: 'y' } },
      }),
    );
    expect(error.message).toBe('missing variable "order.id" in template order-shipped/sms.en');
    expect(error.code).toBe('missingVariable');
  });

  it('names a missing top-level object', () => {
    const error = thrown(() => engine.render('order-shipped', 'sms', { locale: 'en', data: {} }));
    expect(error.message).toBe('missing variable "order.id" in template order-shipped/sms.en');
  });

  it('lists the channels that have a variant', () => {
    expect([...engine.availableChannels('order-shipped')].sort()).toEqual([
      'email',
      'livechat',
      'sms',
      'voice',
      'wechat',
      'whatsapp',
    ]);
    expect([...engine.availableChannels('sms-help')]).toEqual(['sms', 'whatsapp']);
    expect(engine.availableChannels('nope').size).toBe(0);
  });

  it('renders WhatsApp from the SMS text when the key has no WhatsApp variant, else its own', () => {
    const local = new TemplateEngine({ directory: root });
    const whatsapp = local.render('order-shipped', 'whatsapp', { locale: 'en', data: order });
    const sms = local.render('order-shipped', 'sms', { locale: 'en', data: order });
    expect(whatsapp).toMatchObject({ channel: 'whatsapp', text: sms.text, locale: 'en' });
    expect(whatsapp.segments).toBeUndefined();
    local.setOverride({ key: 'order-shipped', channel: 'whatsapp', locale: 'en', body: 'WhatsApp: {{order.id}} shipped', version: 1 });
    expect(local.render('order-shipped', 'whatsapp', { locale: 'en', data: order }).text).toBe(
      `WhatsApp: ${order.order.id} shipped`,
    );
  });

  it('lists templates with descriptions', () => {
    const listing = engine.list();
    expect(listing.map((t) => t.key)).toEqual(
      expect.arrayContaining([
        'agent-reply',
        'appointment-reminder',
        'csat-request',
        'order-shipped',
        'service-alert',
        'sms-help',
        'welcome',
      ]),
    );
    expect(listing.find((t) => t.key === 'order-shipped')?.description).toContain(
      'Shipping confirmation',
    );
  });

  it('throws notFound for an unknown template', () => {
    expect(thrown(() => engine.render('nope', 'sms', { data: {} })).code).toBe('notFound');
  });

  it('renders every shipped template for its sample data without missing variables', () => {
    const data = {
      ...order,
      text: 'hi',
      subject: 's',
      company: 'Acme',
      unsubscribeUrl: 'https://u.example',
      preferencesUrl: 'https://p.example',
      appointment: { id: 'AP', at: '2025-03-10T04:00:00Z', location: 'L' },
      alert: {
        title: 'Outage',
        summary: 'Payments are down.',
        statusUrl: 'https://status.example',
      },
      offer: { percent: 10, code: 'HELLO', until: '2025-04-01' },
      // livechat-verification
      code: '123456',
      minutes: 10,
      // digest
      count: 1,
      items: [{ id: 'm1', subject: null, text: 'hi', topic: 'orders' }],
    };
    for (const t of engine.list()) {
      for (const v of t.versions) {
        const out = engine.render(t.key, v.channel, {
          locale: v.locale,
          variant: v.variant ?? undefined,
          data,
        });
        expect(out.text.length).toBeGreaterThan(0);
      }
    }
  });
});

describe(`${TemplateEngine.name} overrides and validation`, () => {
  it('a later publication wins over a higher version (a rollback); an unsaved draft is never kept', () => {
    const engine = new TemplateEngine({ directory: root });
    const data = { company: 'Acme' };
    const sms = (body: string, version: number, publishedAt: number) =>
      engine.setOverride({ key: 'sms-help', channel: 'sms', locale: 'en', body, version, publishedAt });
    sms('v2 {{company}}', 2, 1_000);
    sms('v1 {{company}}', 1, 2_000); // v1 re-published after v2
    expect(engine.render('sms-help', 'sms', { locale: 'en', data }).text).toBe('v1 Acme');
    sms('v2 {{company}}', 2, 1_000); // a refresh seeing the older publication again
    expect(engine.render('sms-help', 'sms', { locale: 'en', data }).text).toBe('v1 Acme');
    const unsaved = engine.renderUnsaved(
      { key: 'sms-help', channel: 'sms', locale: 'en', body: 'draft {{company}}', version: 0 },
      { data },
    );
    expect(unsaved.text).toBe('draft Acme');
    expect(engine.render('sms-help', 'sms', { locale: 'en', data }).text).toBe('v1 Acme');
    expect(engine.sourceOf('sms-help', 'sms', 'en', null)).toMatchObject({
      body: 'v1 {{company}}',
      version: 1,
      origin: 'override',
    });
  });

  it('an override wins over the file, and a newer version over an older one', () => {
    const engine = new TemplateEngine({ directory: root });
    engine.setOverride({
      key: 'sms-help',
      channel: 'sms',
      locale: 'en',
      body: 'v2 {{company}}',
      version: 2,
    });
    expect(
      engine.render('sms-help', 'sms', { locale: 'en', data: { company: 'Acme' } }),
    ).toMatchObject({ text: 'v2 Acme', version: 2 });
    engine.setOverride({
      key: 'sms-help',
      channel: 'sms',
      locale: 'en',
      body: 'v1 {{company}}',
      version: 1,
    });
    expect(engine.render('sms-help', 'sms', { locale: 'en', data: { company: 'Acme' } }).text).toBe(
      'v2 Acme',
    );
    engine.setOverride({
      key: 'sms-help',
      channel: 'sms',
      locale: 'en',
      body: 'v3 {{company}}',
      version: 3,
    });
    expect(engine.render('sms-help', 'sms', { locale: 'en', data: { company: 'Acme' } }).text).toBe(
      'v3 Acme',
    );
  });

  it('an override can add a new template and channel', () => {
    const engine = new TemplateEngine();
    engine.setOverride({
      key: 'promo',
      channel: 'wechat',
      locale: 'en',
      subject: 'x',
      body: 'Hi {{name}}',
      version: 1,
    });
    expect(engine.availableChannels('promo')).toEqual(new Set(['wechat']));
    expect(engine.render('promo', 'wechat', { data: { name: 'Bo' } })).toMatchObject({
      text: 'Hi Bo',
      subject: 'x',
    });
  });

  it('compileCheck reports the line of a syntax error', () => {
    const engine = new TemplateEngine();
    const error = thrown(() =>
      engine.compileCheck('line one\nline two\n{{#if x}}\nunclosed {{name'),
    );
    expect(error.code).toBe('syntax');
    expect(error.details.line).toBe(4);
    expect(error.message).toContain('at line 4');
  });

  it('compileCheck reports mismatched blocks with their line', () => {
    const engine = new TemplateEngine();
    const error = thrown(() => engine.compileCheck('a\n{{#if x}}\nb{{/each}}'));
    expect(error.details.line).toBe(2);
    expect(error.message).toContain("if doesn't match each");
  });

  it('refuses an override that does not compile', () => {
    const engine = new TemplateEngine();
    const error = thrown(() =>
      engine.setOverride({
        key: 'k',
        channel: 'sms',
        locale: 'en',
        body: 'ok\n{{oops',
        version: 1,
      }),
    );
    expect(error.message).toMatch(/^syntax error in template k\/sms\.en at line 2/);
    expect(engine.availableChannels('k').size).toBe(0);
  });
});

describe(`${TemplateEngine.name} helpers`, () => {
  it('refuses {{log}} and other helper calls the instance lacks, naming the line', () => {
    const engine = new TemplateEngine();
    for (const [body, line] of [
      ['Hi {{name}}\n{{log "secret" customer}}', 2],
      ['{{log customer level="error"}}', 1],
      ['a\nb\n{{#if (log x)}}y{{/if}}', 3],
      ['{{#log x}}y{{/log}}', 1],
      ['{{#each a}}\n{{#if b}}{{{log c}}}{{/if}}{{/each}}', 2],
    ] as const) {
      const error = thrown(() => engine.compileCheck(body, { template: 'k/sms.en' }));
      expect(error.code).toBe('syntax');
      expect(error.details.line).toBe(line);
      expect(error.message).toContain('helper "log" is not available in templates');
    }
    const typo = thrown(() => engine.compileCheck('{{currncy total "CNY"}}'));
    expect(typo.message).toMatch(/helper "currncy" is unknown \(helpers: .*currency/);
  });

  it('refuses an override that calls log, so it never renders', () => {
    const engine = new TemplateEngine();
    const error = thrown(() =>
      engine.setOverride({ key: 'k', channel: 'sms', locale: 'en', body: '{{log x}}', version: 1 }),
    );
    expect(error.message).toContain('helper "log"');
    expect(engine.availableChannels('k').size).toBe(0);
  });

  it('refuses a bare {{log}} too (compiled as a direct call to the built-in)', () => {
    const engine = new TemplateEngine();
    const error = thrown(() => engine.compileCheck('v=\n{{log}}'));
    expect(error.details.line).toBe(2);
    expect(error.message).toContain('helper "log" is not available in templates');
  });

  it('still accepts registered helpers, block helpers and variables with the same shape', () => {
    const engine = new TemplateEngine();
    expect(() =>
      engine.compileCheck(
        '{{#each items}}{{currency price "CNY"}}{{/each}}{{#with order}}{{id}}{{/with}}{{#order}}{{id}}{{/order}}{{lookup a b}}',
      ),
    ).not.toThrow();
  });
});
