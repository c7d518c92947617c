import { join } from 'path';
import { compile } from 'html-to-text';
import { htmlToPlainText } from '../../../src/templates/plain-text';
import { TemplateEngine } from '../../../src/templates';
import { plainData as data } from './shipped-template-data';

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

describe(htmlToPlainText.name, () => {
  const engine = new TemplateEngine({ directory: join(__dirname, '../../../templates') });
  const pages = engine
    .list()
    .flatMap((t) =>
      t.versions
        .filter((v) => v.channel === 'email')
        .map((v) => ({ key: t.key, locale: v.locale, variant: v.variant })),
    )
    .map(
      (v) =>
        engine.render(v.key, 'email', { locale: v.locale, variant: v.variant ?? undefined, data })
          .html as string,
    );

  it('renders every shipped email', () => {
    expect(pages.length).toBeGreaterThanOrEqual(8);
  });

  it('gives the same text as html-to-text over the whole page, for every shipped email', () => {
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
