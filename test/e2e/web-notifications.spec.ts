import type { Browser } from 'playwright-core';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** The bell, its panel and the page title follow a mention; SLA countdowns show in list and header. */
describe('Notifications and SLA countdowns in the web app', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    const policy = await app.api('POST', '/api/v1/sla-policies', {
      name: 'sms hour',
      channel: 'sms',
      firstResponseSeconds: 3600,
    });
    expect(policy.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['zh-CN', 390, '李娜', 'lina@test.local', '+8613800139101', '提到了你'],
    ['en', 1280, 'Mia Chen', 'mia@test.local', '+8613800139102', 'mentioned you'],
  ])('%s at %i px: a mention reaches the bell, the title and the panel', async (...args) => {
    const [locale, width, name, email, phone, mentioned] = args as [
      string,
      number,
      string,
      string,
      string,
      string,
    ];
    const user = await app.api('POST', '/api/v1/users', {
      email,
      name,
      password: USER_PASSWORD,
      role: 'agent',
    });
    expect(user.status).toBe(201);
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: phone,
      text: `订单什么时候发货？ ${phone}`,
    });
    const id = inbound.body.conversation.id as string;

    const context = await browser.newContext({
      locale,
      timezoneId: 'Asia/Shanghai',
      viewport: { width, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, app.url, email, USER_PASSWORD);
    const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
    await row.waitFor({ timeout: 15_000 });
    const rowSla = row.getByTestId('sla-countdown');
    await rowSla.waitFor();
    expect(await rowSla.getAttribute('data-tone')).toBe('ok');
    expect(await rowSla.textContent()).toMatch(locale === 'en' ? /\d+ min/ : /\d+ 分钟/);
    await page.getByTestId('notification-bell').waitFor();
    expect(await page.getByTestId('notification-count').count()).toBe(0);
    const baseTitle = await page.title();

    const sup = await app.userToken('supervisor', '周主管');
    const handle = locale === 'en' ? '@Mia' : '@李娜';
    const note = await app.api(
      'POST',
      `/api/v1/conversations/${id}/notes`,
      { text: `${handle} 请看一下` },
      sup.token,
    );
    expect(note.status).toBe(201);
    await page.getByTestId('notification-count').filter({ hasText: '1' }).waitFor();
    await page.waitForFunction(`document.title === ${JSON.stringify(`(1) ${baseTitle}`)}`);

    await page.getByTestId('notification-bell').click();
    const item = page.getByTestId('notification-item').first();
    await item.waitFor();
    expect(await item.getAttribute('data-read')).toBe('false');
    expect(await item.textContent()).toContain(`周主管 ${mentioned}`);
    expect(await fitsViewport(page)).toBe(true);
    await item.click();
    await page.waitForFunction(`location.hash === ${JSON.stringify(`#/c/${id}`)}`);
    await page.getByTestId('conversation-sla-countdown').waitFor();
    await page.waitForFunction(`document.title === ${JSON.stringify(baseTitle)}`);
    expect(await page.getByTestId('notification-count').count()).toBe(0);

    await page.reload();
    await page.getByTestId('conversation-sla-countdown').waitFor({ timeout: 15_000 });
    await page.getByTestId('notification-bell').click();
    const after = page.getByTestId('notification-item').first();
    await after.waitFor();
    expect(await after.getAttribute('data-read')).toBe('true');
    expect(await page.getByTestId('notification-count').count()).toBe(0);
    expect(await page.title()).toBe(baseTitle);
    expect(await fitsViewport(page)).toBe(true);

    // Logged out elsewhere: the socket says so and the app signs out with a translated notice.
    const other = await app.login(email, USER_PASSWORD);
    expect((await app.api('POST', '/api/v1/auth/logout', undefined, other)).status).toBeLessThan(
      300,
    );
    const notice = page.getByTestId('session-ended');
    await notice.waitFor();
    expect(await notice.textContent()).toBe(
      locale === 'en'
        ? 'Your session has ended. Please sign in again.'
        : '您的会话已结束，请重新登录。',
    );
    await page.getByTestId('login-email').waitFor();
    expect(await page.title()).toBe(baseTitle);
    await context.close();
  });
});
