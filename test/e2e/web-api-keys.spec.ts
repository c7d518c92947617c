import type { Browser } from 'playwright-core';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** The API keys settings in Chromium (issue 21): create with scopes, the key once, use, revoke. */
describe('API keys in the settings', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['zh-CN', 390, '客户同步', '仅显示这一次', '最近使用', '已于'],
    ['en', 1280, 'CRM sync', 'shown this once', 'Last used', 'Revoked'],
  ])(
    'creates a read key, shows it once, the key reads and cannot write, then is revoked (%s, %i px)',
    async (locale, width, name, onceText, lastUsedText, revokedText) => {
      const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
      const page = await context.newPage();
      await signIn(page, app.url, ADMIN.email, ADMIN.password);
      await page.getByTestId('logout').waitFor();
      await page.goto(`${app.url}/#/settings/api-keys`);
      await page.getByTestId('settings-api-keys').waitFor();
      await page.getByTestId('api-key-new').click();
      await page.getByTestId('api-key-name').fill(name);
      // No scope picked: the form says so and sends nothing.
      await page.getByTestId('api-key-save').click();
      await page.getByRole('alert').waitFor();
      await page.getByTestId('api-key-scope-customers').selectOption('read');
      await page.getByTestId('api-key-save').click();

      const once = page.getByTestId('api-key-once');
      await once.waitFor();
      expect(await once.innerText()).toContain(onceText);
      const key = (await page.getByTestId('api-key-value').innerText()).trim();
      expect(key).toMatch(/^hub_/);
      expect(await fitsViewport(page)).toBe(true);

      const read = await fetch(`${app.url}/api/v1/customers?identity=email:nobody@example.com`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(read.status).toBe(404);
      const write = await fetch(`${app.url}/api/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: 'x', identities: [] }),
      });
      expect(write.status).toBe(403);

      await page.getByTestId('api-key-dismiss').click();
      expect(await page.getByTestId('api-key-once').count()).toBe(0);
      await page.reload();
      const row = page.getByTestId('api-key-row').filter({ hasText: name });
      await row.waitFor();
      expect(await row.innerText()).toContain('customers:read');
      expect(await row.innerText()).toContain(lastUsedText);
      expect(await page.content()).not.toContain(key);

      page.once('dialog', (d) => void d.accept());
      await row.getByTestId('api-key-revoke').click();
      await eventually(
        async () => (await row.getAttribute('data-state')) === 'revoked',
        'the row shows the key revoked',
      );
      expect(await row.innerText()).toContain(revokedText);
      const after = await fetch(`${app.url}/api/v1/customers?identity=email:nobody@example.com`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(after.status).toBe(401);
      await context.close();
    },
  );
});
