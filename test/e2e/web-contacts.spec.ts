import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { seedContacts, type ContactsSeed } from '../support/contacts-seed';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

/** With HUB_SCREENSHOTS=<dir>, keeps a picture of the screen there (docs/screenshots). */
async function shot(page: Page, name: string) {
  const dir = process.env.HUB_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, name) });
}

/** The page's location, in a function run in the page (the tests' tsconfig has no DOM types). */
type InPage = { location: { hash: string } };

/** The marketers' contacts in the browser (issue 19): filter, save, reload, export, tiers. */
describe("The marketers' contacts", () => {
  let app: TestApp;
  let browser: Browser;
  let seed: ContactsSeed;
  const email = `mkt-contacts-${Date.now()}@test.local`;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    expect(
      (
        await app.api('POST', '/api/v1/users', {
          email,
          name: '王芳',
          password: USER_PASSWORD,
          role: 'marketer',
        })
      ).status,
    ).toBe(201);
    seed = await seedContacts(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const texts = {
    'zh-CN': { count: (n: number) => `${n} 位联系人`, at: '流失风险 · 核心', email: '邮件' },
    en: {
      count: (n: number) => (n === 1 ? '1 contact' : `${n} contacts`),
      at: 'At risk · Core',
      email: 'Email',
    },
  } as const;

  async function countIs(page: Page, text: string) {
    await page
      .getByTestId('contacts-count')
      .filter({ hasText: new RegExp(`^${text}$`) })
      .waitFor();
  }
  async function rowNames(page: Page): Promise<string[]> {
    return (
      await page.getByTestId('contact-row').locator('.contact-name').allTextContents()
    ).sort();
  }

  it.each([
    ['zh-CN', 390],
    ['en', 1280],
  ] as const)(
    'filters, saves, reloads and exports a segment (%s, %i px)',
    async (locale, width) => {
      const x = texts[locale];
      const context = await browser.newContext({
        locale,
        viewport: { width, height: 844 },
        acceptDownloads: true,
      });
      const page = await context.newPage();
      page.on('dialog', (d) => void d.accept());
      await signIn(page, app.url, email, USER_PASSWORD);
      await page.getByTestId('nav-contacts').click();
      await page.getByTestId('contacts-page').waitFor();
      const everyone = 4 + seed.bulk.length + seed.csv.length;
      await countIs(page, x.count(everyone));
      expect(await page.getByTestId('contacts-import').getAttribute('href')).toBe(
        '#/contacts/import',
      );

      // Filter: tier core, then e-mail marketing consent granted.
      await page.getByTestId('filters-toggle').click();
      await page.getByTestId('filters-tier-core').check();
      await countIs(page, x.count(2));
      expect(await rowNames(page)).toEqual(['Ann Archer', 'Bob Baker']);
      await page.getByTestId('filters-consent-add').click();
      await countIs(page, x.count(1));
      expect(await rowNames(page)).toEqual(['Ann Archer']);
      const ann = page.getByTestId('contact-row').first();
      expect(await ann.locator('a').getAttribute('href')).toBe(`#/contacts/${seed.ids.ann}`);
      expect(await ann.getByTestId('consent-email').getAttribute('data-status')).toBe('granted');
      expect(await ann.getByTestId('consent-wechat').getAttribute('data-status')).toBe('revoked');
      await shot(page, `contacts-${locale}-${width}.png`);
      expect(await fitsViewport(page)).toBe(true);

      // Save as segment.
      const name = `Core opted in ${locale}`;
      await page.getByTestId('save-segment').click();
      await page.getByTestId('segment-name').fill(name);
      await page.getByTestId('segment-name-submit').click();
      await page.waitForFunction(() =>
        /segment=/.test((globalThis as unknown as InPage).location.hash),
      );
      const picker = page.getByTestId('saved-segment-picker');
      expect(await picker.locator('option:checked').textContent()).toBe(name);
      const saved = await app.api('GET', '/api/v1/segments');
      expect(saved.body.items.find((s: { name: string }) => s.name === name)?.definition).toEqual({
        tier: 'core',
        consent: [{ channel: 'email', purpose: 'marketing', status: 'granted' }],
      });

      // Clear, then reload it from the picker.
      await picker.selectOption({ index: 0 });
      await page.getByTestId('filters-tier-core').uncheck();
      await page.locator('[data-testid="filters-consent-row"] button').click();
      await countIs(page, x.count(everyone));
      await picker.selectOption({ label: name });
      await countIs(page, x.count(1));
      expect(await page.getByTestId('filters-tier-core').isChecked()).toBe(true);
      expect(await page.getByTestId('filters-consent-status').inputValue()).toBe('granted');

      // Export what is shown.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('contacts-export').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
      const chunks: Buffer[] = [];
      for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
      const csv = Buffer.concat(chunks);
      expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = csv.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`${seed.ids.ann},Ann Archer,ann@example.com,'+8613900001001`);

      // Search narrows within the segment.
      await page.getByTestId('contacts-search').fill('bob');
      await countIs(page, x.count(0));
      await page.getByTestId('contacts-empty').waitFor();
      await page.getByTestId('contacts-search').fill('');
      await countIs(page, x.count(1));

      // Tiers: the at-risk customers with the suggested channel; one click makes a segment.
      await page.getByTestId('contacts-tab-tiers').click();
      const core = page.getByTestId('tier-core');
      const coreRow = core.getByTestId('at-risk-row');
      await coreRow.waitFor();
      expect(await coreRow.count()).toBe(1);
      expect(await coreRow.getAttribute('data-id')).toBe(seed.ids.ann);
      expect(await coreRow.getByTestId('suggested-channel').textContent()).toContain(x.email);
      const edgeRow = page.getByTestId('tier-edge').getByTestId('at-risk-row');
      await edgeRow.waitFor();
      expect(await edgeRow.getByTestId('suggested-none').count()).toBe(1);
      await shot(page, `tiers-${locale}-${width}.png`);
      expect(await fitsViewport(page)).toBe(true);
      await core.getByTestId('tier-make-segment').click();
      await page.getByTestId('contacts-count').waitFor();
      await countIs(page, x.count(1));
      expect(await rowNames(page)).toEqual(['Ann Archer']);
      expect(await picker.locator('option:checked').textContent()).toContain(x.at);
      expect(await page.getByTestId('filters-churn').inputValue()).toBe('atRisk');

      // Rename and delete the segment made.
      await page.getByTestId('rename-segment').click();
      await page.getByTestId('segment-name').fill(`Renamed ${locale}`);
      await page.getByTestId('segment-name-submit').click();
      await picker
        .locator('option:checked', { hasText: `Renamed ${locale}` })
        .waitFor({ state: 'attached' });
      await page.getByTestId('delete-segment').click();
      await page.waitForFunction(
        () => (globalThis as unknown as InPage).location.hash === '#/contacts',
      );
      expect(await picker.locator('option', { hasText: `Renamed ${locale}` }).count()).toBe(0);
      expect(await page.locator('[role="alert"]').count()).toBe(0);
      expect(await fitsViewport(page)).toBe(true);
      await context.close();
    },
  );
});
