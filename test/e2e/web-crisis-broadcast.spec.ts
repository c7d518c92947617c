import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { buildWebIfStale, fitsViewport, launchChromium } from '../support/web';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

/**
 * A supervisor sends a crisis broadcast from the web app: the group with its live count, the
 * legal basis and message, the confirmation step (the reach shown, the name typed again), then
 * the broadcast's live reach by channel and fallback hop with the proof-of-notice export. The
 * sandbox fails SMS, so the customer with a phone falls back to the next channel (hop 1). In
 * both languages, at phone and desktop width.
 */
/** With HUB_SCREENSHOTS=<dir>, keeps a picture of the screen there (docs/screenshots). */
async function shot(page: Page, name: string) {
  const dir = process.env.HUB_SCREENSHOTS;
  if (!dir) return;
  await page.evaluate('document.querySelector("main").scrollTop = 0');
  await page.screenshot({ path: join(dir, name), fullPage: true });
}

describe('Crisis broadcast in the web app', () => {
  let app: TestApp;
  let browser: Browser;
  let supervisorEmail: string;

  async function customer(tag: string, name: string, email: string, phone?: string) {
    const r = await app.api('POST', '/api/v1/customers', {
      displayName: name,
      identities: [
        ...(phone ? [{ channel: 'sms', address: phone }] : []),
        { channel: 'email', address: email },
      ],
      tags: [tag],
    });
    expect(r.status).toBe(201);
  }

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp({
      SANDBOX_BEHAVIOUR: 'sms=fail',
      FALLBACK_CRITICAL_SECONDS: '1',
      FALLBACK_CRITICAL_READ_SECONDS: '3600',
    });
    supervisorEmail = `crisis-${Date.now()}@test.local`;
    const created = await app.api('POST', '/api/v1/users', {
      email: supervisorEmail,
      name: '王强',
      password: USER_PASSWORD,
      role: 'supervisor',
    });
    expect(created.status).toBe(201);
    for (const [tag, n] of [
      ['crisis-zh', 1],
      ['crisis-en', 2],
    ] as const) {
      await customer(tag, `Ann ${n}`, `ann${n}.crisis@example.com`);
      await customer(tag, `Bob ${n}`, `bob${n}.crisis@example.com`, `+861390000440${n}`);
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(locale: string, width: number): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('login-email').fill(supervisorEmail);
    await page.getByTestId('login-password').fill(USER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-campaigns').waitFor();
    return page;
  }

  it.each([
    ['zh-CN', 390, 'crisis-zh', '停电通知', '首次发送', '第 1 次转发', '危机'],
    ['en', 1280, 'crisis-en', 'Power cut notice', 'First attempt', 'Fallback 1', 'Crisis'],
  ])(
    'composes, confirms by name and watches the reach by hop (%s, %i px)',
    async (locale, width, tag, name, hop0, hop1, badge) => {
      const page = await signIn(locale, width);
      await page.getByTestId('nav-campaigns').click();
      await page.getByTestId('crisis-new').click();
      await page.getByTestId('crisis-compose').waitFor();

      await page.getByTestId('crisis-name').fill(name);
      await page.getByTestId('crisis-tags').fill(tag);
      await eventually(
        async () => /\b2\b/.test((await page.getByTestId('crisis-count').textContent()) ?? ''),
        'the live count of the group',
      );
      await page.getByTestId('crisis-basis').selectOption('legal_obligation');
      await page.getByTestId('crisis-alert-title').fill(name);
      await page.getByTestId('crisis-message').fill('Power returns at 18:00.');
      await page.getByTestId('crisis-link').fill('https://status.example.com/power');
      await page.getByTestId('crisis-review').click();

      // The confirmation step: the reach, and the name typed again before anything goes.
      const confirm = page.getByTestId('crisis-confirm');
      await confirm.waitFor();
      expect(await page.getByTestId('crisis-confirm-reach').textContent()).toMatch(/\b2\b/);
      expect(await confirm.textContent()).toContain(name);
      const launch = page.getByTestId('crisis-launch');
      expect(await launch.isDisabled()).toBe(true);
      await page.getByTestId('crisis-confirm-name').fill(`${name} x`);
      expect(await launch.isDisabled()).toBe(true);
      expect(await fitsViewport(page)).toBe(true);
      await page.getByTestId('crisis-confirm-name').fill(name);
      await shot(page, `crisis-confirm-${locale}-${width}.png`);
      await launch.click();

      // The broadcast's page: its live reach by channel and hop.
      await page.getByTestId('campaign-results').waitFor();
      const id = /#\/campaigns\/([0-9a-f-]{36})/.exec(page.url())?.[1];
      expect(id).toBeDefined();
      const c = await app.api('GET', `/api/v1/campaigns/${id}`);
      expect(c.body).toMatchObject({ kind: 'crisis', legalBasis: 'legal_obligation' });
      expect(c.body.confirmedBy).not.toBeNull();
      expect(await page.getByTestId('campaign-kind').textContent()).toBe(badge);

      const grid = page.getByTestId('crisis-reach-grid');
      await eventually(
        async () => (await grid.locator('thead th[data-hop="1"]').count()) === 1,
        'the first fallback hop in the grid',
        20_000,
      );
      expect(await grid.locator('thead th[data-hop="0"]').textContent()).toBe(hop0);
      expect(await grid.locator('thead th[data-hop="1"]').textContent()).toBe(hop1);
      // Ann's e-mail delivered; Bob's SMS fails (the sandbox: retried, never delivered), so his
      // fallback went out on the next channel and was delivered.
      await eventually(
        async () => /1\D+1/.test((await page.getByTestId('reach-email-0').textContent()) ?? ''),
        'the e-mail delivered at hop 0',
      );
      expect(await page.getByTestId('reach-sms-0').textContent()).toMatch(/0\D+1/);
      await eventually(
        async () => /1\D+1/.test((await page.getByTestId('reach-total-1').textContent()) ?? ''),
        'the fallback delivered at hop 1',
        20_000,
      );

      await shot(page, `crisis-reach-${locale}-${width}.png`);
      // The proof of notice downloads for a supervisor.
      const csv = page.waitForResponse((r) => r.url().includes('/proof-of-notice.csv'));
      await page.getByTestId('crisis-proof').click();
      expect((await csv).status()).toBe(200);
      expect(await fitsViewport(page)).toBe(true);

      // The list marks it as a crisis broadcast.
      await page.getByTestId('campaign-back').click();
      const card = page.getByTestId('campaign-card').filter({ hasText: name });
      await card.waitFor();
      expect(await card.getByTestId('campaign-kind').textContent()).toBe(badge);
      await page.context().close();
    },
  );

  it('refuses the flow to a marketer', async () => {
    const marketer = await app.userToken('marketer');
    const page = await (await browser.newContext({ locale: 'en' })).newPage();
    await page.goto(app.url);
    const me = await app.api('GET', '/api/v1/auth/me', undefined, marketer.token);
    await page.getByTestId('login-email').fill(me.body.email);
    await page.getByTestId('login-password').fill(USER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('campaigns-page').waitFor();
    expect(await page.getByTestId('crisis-new').count()).toBe(0);
    await page.goto(`${app.url}/#/campaigns/crisis`);
    await page.getByTestId('crisis-page').waitFor();
    expect(await page.getByTestId('crisis-compose').count()).toBe(0);
    expect(await page.getByTestId('crisis-page').textContent()).toContain(
      'Only admins and supervisors',
    );
    await page.context().close();
  });
});
