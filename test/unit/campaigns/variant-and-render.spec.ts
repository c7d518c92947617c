import { join } from 'path';
import { CampaignRenderCache } from '../../../src/campaigns/render-cache';
import { pickVariant } from '../../../src/campaigns/variant-pick';
import { TemplateEngine } from '../../../src/templates/template-engine';

describe('pickVariant', () => {
  it('is stable per customer and splits by weight', () => {
    const variants = [
      { template: 'a', weight: 3 },
      { template: 'b', weight: 1 },
    ];
    expect(pickVariant(variants, 'camp', 'cust-1')).toEqual(
      pickVariant(variants, 'camp', 'cust-1'),
    );
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++)
      counts[pickVariant(variants, 'camp', `customer-${i}`).template as 'a' | 'b'] += 1;
    expect(counts.a / 4000).toBeGreaterThan(0.7);
    expect(counts.a / 4000).toBeLessThan(0.8);
  });
});

describe(CampaignRenderCache.name, () => {
  const engine = new TemplateEngine({ directory: join(__dirname, '../../../templates') });
  const data = { offer: { percent: 10, code: 'X1', until: '2030-01-01T00:00:00Z' } };
  const target = {
    template: 'welcome',
    locale: 'en',
    timezone: 'UTC',
    attributes: {},
    unsubscribeUrl: 'https://hub.example/u/tok',
    preferencesUrl: 'https://hub.example/p/tok',
  };
  const full = (channel: 'email' | 'sms', name: string) =>
    engine.render('welcome', channel, {
      locale: 'en',
      timezone: 'UTC',
      attributes: {},
      data: {
        ...data,
        unsubscribeUrl: target.unsubscribeUrl,
        preferencesUrl: target.preferencesUrl,
        customer: { name },
      },
    });

  it.each(['Ann', 'Zoë & <Co>', '王芳', 'Pay $& $1 $$'])(
    'gives the same email HTML, subject and SMS as a full render for %s',
    (name) => {
      const cache = new CampaignRenderCache(engine, data);
      const email = cache.render({ ...target, channel: 'email', displayName: name });
      const ref = full('email', name);
      expect(email.html).toBe(ref.html);
      expect(email.subject).toBe(ref.subject);
      expect(email.text.replace(/\s+/g, ' ')).toBe(ref.text.replace(/\s+/g, ' '));
      const sms = cache.render({ ...target, channel: 'sms', displayName: name });
      expect(sms.text).toBe(full('sms', name).text);
      expect(sms.segments).toEqual(full('sms', name).segments);
    },
  );

  it('renders in full when the name steers the output instead of showing in it', () => {
    const e = new TemplateEngine({ directory: join(__dirname, '../../../templates') });
    e.setOverride({
      key: 'keyed',
      channel: 'sms',
      locale: 'en',
      body: 'Hi{{lookup greetings customer.name}}',
      version: 1,
    });
    const cache = new CampaignRenderCache(e, { greetings: { Ann: ' dear Ann', Bo: ' Bo!' } });
    expect(
      cache.render({ ...target, template: 'keyed', channel: 'sms', displayName: 'Ann' }).text,
    ).toBe('Hi dear Ann');
    expect(
      cache.render({ ...target, template: 'keyed', channel: 'sms', displayName: 'Bo' }).text,
    ).toBe('Hi Bo!');
  });

  it('throws the template error (422) for a missing variable', () => {
    const cache = new CampaignRenderCache(engine, {});
    expect(() => cache.render({ ...target, channel: 'sms', displayName: 'Ann' })).toThrow(/offer/);
  });
});
