import type { Browser } from 'playwright-core';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** The template editor in Chromium: inline variable errors, live preview, publish (issue 19). */
describe('The template editor', () => {
  let app: TestApp;
  let browser: Browser;
  let marketerEmail: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    marketerEmail = `mkt-tpl-${Date.now()}@test.local`;
    const created = await app.api('POST', '/api/v1/users', {
      email: marketerEmail,
      name: '李娜',
      password: USER_PASSWORD,
      role: 'marketer',
    });
    expect(created.status).toBe(201);
    for (const locale of ['en', 'zh-CN'])
      expect(
        (
          await app.api('POST', '/api/v1/templates', {
            key: 'spring-sale',
            channel: 'sms',
            locale,
            body: 'Spring sale: {{offer.percent}}% off',
            purposes: ['marketing'],
          })
        ).status,
      ).toBe(201);
    const customer = await app.api('POST', '/api/v1/customers', {
      displayName: '王芳',
      locale: 'zh-CN',
      identities: [{ channel: 'sms', address: '+8613800138000' }],
    });
    expect(customer.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['en', 1280, 'Spring', 'Unknown variable', 'Published'],
    ['zh-CN', 390, '春季', '未知变量', '已发布'],
  ])(
    'shows an unknown variable as you type, previews the fix, publishes (%s, %i px)',
    async (locale, width, word, unknownText, publishedText) => {
      const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
      const page = await context.newPage();
      const serverErrors: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 500) serverErrors.push(r.url());
      });
      await signIn(page, app.url, marketerEmail, USER_PASSWORD);
      await page.getByTestId('campaigns-page').waitFor();
      await page.getByTestId('nav-templates').click();
      await page.getByTestId('templates-page').waitFor();
      await page.getByTestId('template-key').filter({ hasText: 'spring-sale' }).click();
      await page.getByTestId('template-editor').waitFor();
      await page.getByTestId('template-locale').selectOption(locale);
      await eventually(
        async () =>
          (await page.getByTestId('template-body').inputValue()).includes('offer.percent'),
        'the published text in the editor',
      );

      // Pick a customer by search: the preview fills their name.
      await page.getByTestId('template-customer-search').fill('王');
      await page.getByTestId('template-customer-option').filter({ hasText: '王芳' }).click();
      await page.getByTestId('template-data').fill('{"offer": {"percent": 20}}');

      // An unknown variable, typed: the error names it under the body.
      const body = `${word} {{customer.name}}: {{offer.percnt}}% off`;
      await page.getByTestId('template-body').fill(body);
      const error = page.getByTestId('template-error');
      await eventually(
        async () =>
          (await page.getByTestId('template-error-variable').textContent()) === 'offer.percnt',
        'the error naming offer.percnt',
      );
      expect(await error.textContent()).toContain(unknownText);
      expect(await page.getByTestId('template-publish').isDisabled()).toBe(true);

      // Fixed: the error goes and the preview shows the text, with the SMS counter.
      await page.getByTestId('template-body').fill(body.replace('percnt', 'percent'));
      await error.waitFor({ state: 'detached' });
      await eventually(
        async () =>
          (await page.getByTestId('preview-text').textContent()) === `${word} 王芳: 20% off`,
        'the preview of the fixed text',
      );
      const counter = await page.getByTestId('sms-counter').textContent();
      expect(counter).toContain('UCS-2');
      expect(counter).toMatch(locale === 'en' ? /1 segments/ : /1 条/);

      await page.getByTestId('template-publish').click();
      await page.getByTestId('template-notice').waitFor();
      // The history shows version 2 published and version 1 archived, as the API does.
      await page.locator('[data-testid="template-version"][data-state="archived"]').waitFor();
      expect(
        await page
          .locator('[data-testid="template-version"][data-state="published"]')
          .textContent(),
      ).toContain(publishedText);
      const stored = await app.api('GET', '/api/v1/templates/spring-sale/versions');
      expect(
        (stored.body.items as { locale: string; version: number; state: string }[])
          .filter((v) => v.locale === locale)
          .map((v) => [v.version, v.state]),
      ).toEqual([
        [2, 'published'],
        [1, 'archived'],
      ]);
      const sent = await app.api('POST', '/api/v1/templates/spring-sale/preview', {
        channel: 'sms',
        locale,
        data: { offer: { percent: 5 } },
      });
      expect(sent.body.text).toBe(`${word} Alex Example: 5% off`);
      expect(
        await page.getByTestId('template-version').filter({ hasText: publishedText }).count(),
      ).toBe(1);
      expect(await fitsViewport(page)).toBe(true);
      expect(serverErrors).toEqual([]);
      await context.close();
    },
  );
});
