import { join } from 'path';
import { ERROR_STATUS } from '../../../src/common/errors/domain-error';
import { parseFrontMatter } from '../../../src/templates/front-matter';
import { parsePurposes, purposeRefusal } from '../../../src/templates/purposes';
import { TemplateEngine } from '../../../src/templates';

const root = join(__dirname, '../../../templates');

describe('template purposes', () => {
  it('reads purposes from front matter and refuses an unknown one naming its line', () => {
    const parsed = parseFrontMatter('---\npurposes: [service, transactional]\n---\nHi');
    expect(parsed.fields.purposes).toEqual(['transactional', 'service']);
    expect(parsed.body).toBe('Hi');
    expect(() => parseFrontMatter('---\nsubject: x\npurposes: spam\n---\nHi')).toThrow(
      'front matter line 3: purposes: unknown purpose spam (one of transactional, service, marketing)',
    );
    expect(() => parsePurposes(' ')).toThrow(/purposes: empty/);
  });

  it('states purposes in every shipped template', () => {
    const engine = new TemplateEngine({ directory: root });
    const keys = engine.list().map((t) => t.key);
    expect(keys.length).toBeGreaterThan(5);
    const stated = Object.fromEntries(keys.map((k) => [k, engine.purposesOf(k)]));
    expect(stated['order-shipped']).toEqual(['transactional', 'service']);
    expect(stated.welcome).toEqual(['service', 'marketing']);
    expect(stated['agent-reply']).toEqual(['service']);
    expect(engine.purposesOf('no-such-template')).toBeNull();
  });

  it('takes an override without purposes as its file, a new key as marketing', () => {
    const engine = new TemplateEngine({ directory: root });
    engine.setOverride({ key: 'order-shipped', channel: 'sms', locale: 'en', body: 'x', version: 1 });
    expect(engine.purposesOf('order-shipped')).toEqual(['transactional', 'service']);
    engine.setOverride({ key: 'brand-new', channel: 'sms', locale: 'en', body: 'x', version: 1 });
    expect(engine.purposesOf('brand-new')).toEqual(['marketing']);
    engine.setOverride({
      key: 'brand-new',
      channel: 'email',
      locale: 'en',
      body: 'x',
      version: 1,
      purposes: ['service'],
    });
    expect(engine.purposesOf('brand-new')).toEqual(['service', 'marketing']);
  });

  it.each([
    ['a purpose the template states', ['service'], 'service', 'agent', null],
    ['another purpose', ['service'], 'marketing', 'admin', 422],
    ['a marketer, for marketing', ['marketing'], 'marketing', 'marketer', null],
    ['a marketer, for anything else', ['service', 'marketing'], 'service', 'marketer', 403],
    ['an unknown template (refused elsewhere)', null, 'service', 'agent', null],
  ] as const)('%s', (_, allowed, purpose, role, status) => {
    const refusal = purposeRefusal('t', allowed, purpose, role);
    expect(refusal && ERROR_STATUS[refusal.code]).toBe(status);
  });
});
