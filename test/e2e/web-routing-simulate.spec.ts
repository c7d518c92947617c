import { randomUUID } from 'crypto';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app';
import { buildWebIfStale, launchChromium, signIn } from '../support/web';

/** Neither the page nor the settings pane scrolls sideways. */
const noSidewaysScroll = (page: Page) =>
  page.evaluate(
    `document.documentElement.scrollWidth <= window.innerWidth &&
     [...document.querySelectorAll('.settings, .settings-body')].every((e) => e.scrollWidth <= e.clientWidth + 1)`,
  ) as Promise<boolean>;

/** With HUB_SCREENSHOTS=<dir>, keeps a picture of the simulation there (docs/screenshots). */
async function shot(page: Page, name: string) {
  const dir = process.env.HUB_SCREENSHOTS;
  if (!dir) return;
  await page.getByTestId('sim-summary').evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: join(dir, name) });
}

describe('Routing settings: Simulate before saving', () => {
  let app: TestApp;
  let browser: Browser;
  let seq = 0;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    browser = await launchChromium();
    // Three normal-urgency sends on e-mail (each customer has a phone too), one with no phone.
    for (const phone of [true, true, true, false]) {
      const identities = [
        { channel: 'email', address: `w${++seq}-${randomUUID().slice(0, 6)}@example.com` },
      ];
      if (phone) identities.push({ channel: 'sms', address: `+861370013${1000 + seq}` });
      const c = await app.api('POST', '/api/v1/customers', {
        displayName: `Web ${seq}`,
        identities,
      });
      expect(c.status).toBe(201);
      const m = await app.api('POST', '/api/v1/messages', {
        customerId: c.body.id,
        topic: 'orders',
        urgency: 'normal',
        purpose: 'transactional',
        template: 'order-shipped',
        data: {
          order: {
            id: 'W',
            carrier: 'SF',
            trackingUrl: 'https://t.example/W',
            total: 1,
            currency: 'CNY',
            shippedAt: '2025-03-10T04:00:00Z',
          },
        },
      });
      expect([m.status, m.body.route?.channel]).toEqual([202, 'email']);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['zh-CN', 390, '短信'],
    ['en', 1280, 'SMS'],
  ])(
    '(%s, %d px) edits the normal ranking, simulates, sees 3 sends move to sms, saves nothing',
    async (lang, width, smsName) => {
      const context = await browser.newContext({ locale: lang, viewport: { width, height: 800 } });
      const page = await context.newPage();
      await signIn(page, app.url, ADMIN.email, ADMIN.password);
      await page.getByTestId('nav-inbox').waitFor({ timeout: 15_000 });
      await page.goto(`${app.url}/#/settings/routing`);
      const normal = page.getByTestId('ranking-normal');
      await normal.waitFor();
      expect(await normal.inputValue()).toMatch(/^email, /);
      await normal.fill('sms, email, wechat, livechat');
      await page.getByTestId('simulate-days').selectOption('1');
      await page.getByTestId('routing-simulate').click();

      const move = page.locator('[data-testid="sim-move"][data-from="email"][data-to="sms"]');
      await move.waitFor({ timeout: 15_000 });
      expect(await move.getByTestId('sim-move-count').textContent()).toBe('3');
      expect(await page.getByTestId('sim-move').count()).toBe(1);
      // The chart draws today's and the edited values' sends per destination.
      const chart = page.locator('[data-testid="sim-chart"] svg text');
      await chart.first().waitFor();
      expect(await chart.allTextContents()).toContain(smsName);
      expect(await page.getByTestId('sim-summary').textContent()).toContain('4');
      // The examples tell the new route in the reader's language.
      const samples = page.getByTestId('sim-sample');
      expect(await samples.count()).toBe(3);
      expect(await samples.first().textContent()).toContain(smsName);
      expect(await noSidewaysScroll(page)).toBe(true);
      await shot(page, `settings-routing-simulate-${lang}-${width}.png`);

      // Nothing saved: the defaults are still the configured ones; the edit stays on screen.
      const stored = await app.api('GET', '/api/v1/settings/routing-defaults');
      expect(stored.body.source).toBe('environment');
      expect(stored.body.defaults.defaultRanking.normal[0]).toBe('email');
      expect(await normal.inputValue()).toBe('sms, email, wechat, livechat');

      // A bad value is refused with the field named, nothing shown as a result.
      await normal.fill('sms, sms');
      await page.getByTestId('routing-simulate').click();
      await page.getByText('proposed.defaultRanking.normal').waitFor();
      await context.close();
    },
  );
});
