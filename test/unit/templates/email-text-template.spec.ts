import { readFileSync } from 'fs';
import { join } from 'path';
import { deriveEmailTextSource } from '../../../src/templates/email-text-template';
import { parseFrontMatter } from '../../../src/templates/front-matter';
import { htmlToPlainText } from '../../../src/templates/plain-text';
import { TemplateEngine } from '../../../src/templates';
import { hostileData as hostile } from './shipped-template-data';

const root = join(__dirname, '../../../templates');
const file = (path: string) => readFileSync(join(root, path), 'utf8');

const input = (body: string, layout: string | null = file('_layouts/email.hbs')) => ({
  body,
  layout,
  partial: (name: string) => {
    try {
      return file(`_partials/${name}.hbs`);
    } catch {
      return null;
    }
  },
  isHelper: (name: string) => ['date', 'currency', 'datetime', 'number'].includes(name),
});

describe('email text alternative derived from the template', () => {
  it('derives a text template for the shipped order email, links and partials included', () => {
    const derived = deriveEmailTextSource(input(parseFrontMatter(file('order-shipped/email.en.hbs')).body));
    expect(derived?.source).toContain('Track your parcel [{{__collapseSpace order.trackingUrl}}]');
    expect(derived?.source).toContain('{{__collapseSpace (currency order.total order.currency)}}');
    expect(derived?.source).toContain('The Customer Care team');
    expect(derived?.source).not.toMatch(/<|hbsph/);
    expect(derived?.usesSubject).toBe(false);
  });

  it.each([
    ['a block helper', '<p>{{#if vip}}Dear VIP{{/if}}</p>'],
    ['an inverse block', '<p>{{^if vip}}Hi{{/if}}</p>'],
    ['a raw value', '<div>{{{promo}}}</div>'],
    ['a table laid out by content length', '<table><tr><td>{{name}}</td></tr></table>'],
    ['a value in an uppercased heading', '<h3>{{name}}</h3>'],
    ['whitespace control', '<p>{{~name}}</p>'],
    ['an unknown partial', '<p>{{> nowhere}}</p>'],
    ['a partial with a context', '<p>{{> signature customer}}</p>'],
    ['an escaped mustache', '<p>\\{{name}}</p>'],
    ['a literal that decodes to a mustache', '<p>&#123;&#123;name}}</p>'],
    ['a parent scope', '<p>{{../name}}</p>'],
  ])('derives nothing from %s (the page is converted instead)', (_name, body) => {
    expect(deriveEmailTextSource(input(body))).toBeNull();
  });

  it('derives nothing when the layout does not place the body exactly once', () => {
    expect(deriveEmailTextSource(input('<p>{{a}}</p>', '<body>{{{body}}}{{{body}}}</body>'))).toBeNull();
    expect(deriveEmailTextSource(input('<p>{{a}}</p>', '<body>nothing</body>'))).toBeNull();
  });

  describe('through the engine, text equals html-to-text over the rendered page', () => {
    const engine = new TemplateEngine({ directory: root });
    const shipped = engine
      .list()
      .flatMap((t) =>
        t.versions
          .filter((v) => v.channel === 'email')
          .map((v) => ({ key: t.key, locale: v.locale, variant: v.variant ?? undefined })),
      );

    it('finds the shipped email templates', () => {
      expect(shipped.length).toBeGreaterThanOrEqual(8);
    });

    it.each(shipped.map((v) => [`${v.key} ${v.locale}${v.variant ? ` ${v.variant}` : ''}`, v]))(
      'for %s, with hostile values, with and without a subject in the data',
      (_name, v) => {
        for (const data of [hostile, { ...hostile, subject: undefined }]) {
          const out = engine.render(v.key, 'email', { locale: v.locale, variant: v.variant, data });
          expect(out.text.length).toBeGreaterThan(0);
          expect(out.text).toBe(htmlToPlainText(out.html as string));
          expect(out.text).not.toContain('hbsph');
        }
      },
    );

    const local = new TemplateEngine({ directory: root });
    let version = 0;
    const render = (body: string, data: Record<string, unknown>, extra: object = {}) => {
      local.setOverride({
        key: 'custom',
        channel: 'email',
        locale: 'en',
        subject: 'Hello {{name}}',
        body,
        version: ++version,
        ...extra,
      });
      return local.render('custom', 'email', { locale: 'en', data });
    };

    it.each([
      ['a block helper', '<p>{{#if vip}}Dear VIP,{{/if}} {{name}}</p>', { vip: true, name: 'Bo' }],
      ['a raw value', '<div>{{{promo}}}</div>', { promo: '<h2>Sale</h2><p>now</p>', name: 'x' }],
      [
        'a table',
        '<table><tr><th>Item</th></tr><tr><td>{{name}}</td></tr></table>',
        { name: 'Green tea, large' },
      ],
      ['an uppercased heading', '<h3>{{name}}</h3><p>body</p>', { name: 'Bo' }],
      [
        'a link whose text is its address',
        '<p><a href="{{url}}">{{url}}</a> and <a href="{{url}}">here</a></p>',
        { url: 'https://x.example/a', name: 'n' },
      ],
      [
        'values at block edges and in lists',
        '<ul><li>{{name}}</li><li>{{url}}</li></ul><p>{{name}}</p>',
        { name: 'Bo\n  Li', url: 'u' },
      ],
    ])('for %s', (_name, body, data) => {
      const out = render(body, data);
      expect(out.text).toBe(htmlToPlainText(out.html as string));
      expect(out.text.length).toBeGreaterThan(0);
    });

    it('binds subject to the rendered subject in the layout, even when the data has another', () => {
      const body = '<p>{{text}}</p>';
      const layout = { layout: 'email' };
      local.loadDirectory(root);
      const withSubjectInData = render(`<h2>{{subject}}</h2>${body}`, {
        name: 'Bo',
        text: 't',
        subject: 'from data',
      }, layout);
      expect(withSubjectInData.text).toContain('from data');
      expect(withSubjectInData.text).toBe(htmlToPlainText(withSubjectInData.html as string));
    });

    it("drops a value's surrounding whitespace, keeping the words apart", () => {
      const out = render('<p>Hello {{name}}, order{{id}}!</p>', { name: '  Bo\n', id: ' 7 ' });
      expect(out.text).toBe('Hello Bo, order7!');
    });

    it('reports a missing variable as the page does (strict), never a partial text', () => {
      expect(() => render('<p>{{missing.value}}</p>', { name: 'Bo' })).toThrow(/missing/);
    });
  });
});
