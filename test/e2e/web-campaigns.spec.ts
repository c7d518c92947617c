import type { Browser } from 'playwright-core';
import { buildWebIfStale, fitsViewport, launchChromium } from '../support/web';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

/** Marketers land on their campaigns, not on an inbox they may not read. */
describe("The marketers' landing page", () => {
  let app: TestApp;
  let browser: Browser;
  let marketerEmail: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    marketerEmail = `mkt-${Date.now()}@test.local`;
    const created = await app.api('POST', '/api/v1/users', {
      email: marketerEmail,
      name: '李娜',
      password: USER_PASSWORD,
      role: 'marketer',
    });
    expect(created.status).toBe(201);
    const token = await app.login(marketerEmail, USER_PASSWORD);
    const campaign = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name: '双十二大促',
        segment: { tags: ['nobody-yet'] },
        topic: 'sale',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'welcome',
      },
      token,
    );
    expect(campaign.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['zh-CN', 390, '营销活动', '草稿'],
    ['en', 1280, 'Campaigns', 'Draft'],
  ])('shows their campaigns and no inbox (%s, %i px)', async (locale, width, title, draft) => {
    const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
    const page = await context.newPage();
    const forbidden: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 403) forbidden.push(r.url());
    });
    await page.goto(app.url);
    await page.getByTestId('login-email').fill(marketerEmail);
    await page.getByTestId('login-password').fill(USER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('campaigns-page').waitFor();
    expect(await page.locator('.campaigns-page h1').textContent()).toBe(title);
    const card = page.getByTestId('campaign-card').filter({ hasText: '双十二大促' });
    await card.waitFor();
    expect(await card.getByTestId('campaign-status').textContent()).toBe(draft);
    expect(await page.getByTestId('nav-inbox').count()).toBe(0);
    expect(await page.getByTestId('nav-campaigns').getAttribute('class')).toBe('active');
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    expect(forbidden).toEqual([]);
    expect(await fitsViewport(page)).toBe(true);
    await context.close();
  });
});
