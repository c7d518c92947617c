import { join } from 'path';
import { compile } from 'html-to-text';
import { htmlToPlainText } from '../../../src/templates/plain-text';
import { TemplateEngine } from '../../../src/templates';

// The whole page through html-to-text with the same options: what htmlToPlainText must equal.
const reference = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable' },
  ],
});

const data = {
  customer: { name: 'Ada <Lovelace>' },
  order: {
    id: 'A-1001',
    total: 1234.5,
    currency: 'CNY',
    carrier: 'SF',
    shippedAt: '2025-03-10T04:00:00Z',
    trackingUrl: 'https://t.example/A',
  },
  text: 'Thanks for waiting, your refund is on its way. '.repeat(4),
  subject: 'Re: refund',
  appointment: { at: '2025-03-10T04:00:00Z', place: 'Shop 1' },
  alert: { title: 'Outage', summary: 'Payments are delayed.', statusUrl: 'https://status.example' },
  survey: { url: 'https://s.example' },
};

describe(htmlToPlainText.name, () => {
  const engine = new TemplateEngine({ directory: join(__dirname, '../../../templates') });
  const pages = engine
    .list()
    .flatMap((t) =>
      t.versions
        .filter((v) => v.channel === 'email')
        .map((v) => ({ key: t.key, locale: v.locale, variant: v.variant })),
    )
    .flatMap((v) => {
      try {
        return [
          engine.render(v.key, 'email', { locale: v.locale, variant: v.variant ?? undefined, data })
            .html as string,
        ];
      } catch {
        return []; // a template needing data this table does not give
      }
    });

  it('renders at least the shipped order and agent emails', () => {
    expect(pages.length).toBeGreaterThanOrEqual(2);
  });

  it('gives the same text as html-to-text over the whole page, for every shipped email that renders', () => {
    for (const page of pages) expect(htmlToPlainText(page)).toBe(reference(page).trim());
  });

  it.each([
    ['a fragment without a body', '<h1>Hi</h1><p>One <a href="https://x.example">link</a></p>'],
    [
      'a head with a title',
      '<html><head><title>Secret title</title></head><body class="x"><p>Visible</p></body></html>',
    ],
    ['two bodies', '<body><p>first</p></body><body><p>second</p></body>'],
    [
      'a table',
      '<body><table><tr><th>Item</th><th>Qty</th></tr><tr><td>Tea</td><td>2</td></tr></table></body>',
    ],
  ])('matches html-to-text for %s', (_name, html) => {
    expect(htmlToPlainText(html)).toBe(reference(html).trim());
  });
});
