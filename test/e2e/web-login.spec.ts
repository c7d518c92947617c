import { generate } from 'otplib';
import type { Browser } from 'playwright-core';
import { buildWebIfStale, fitsViewport, launchChromium } from '../support/web';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

const code = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/** The sign-in screen: translated, switchable, and asking for the second factor when there is one. */
describe('Sign-in in the web app', () => {
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

  /** An agent with a second factor; returns its e-mail and TOTP secret. */
  async function enrolledAgent(): Promise<{ email: string; secret: string }> {
    const email = `totp-${Math.random().toString(36).slice(2, 8)}@test.local`;
    const created = await app.api('POST', '/api/v1/users', {
      email,
      name: '王芳',
      password: USER_PASSWORD,
      role: 'agent',
    });
    expect(created.status).toBe(201);
    const token = await app.login(email, USER_PASSWORD);
    const setup = await app.api('POST', '/api/v1/auth/2fa/setup', undefined, token);
    const secret = setup.body.secret as string;
    const enabled = await app.api(
      'POST',
      '/api/v1/auth/2fa/enable',
      { code: await code(secret, -1) },
      token,
    );
    expect(enabled.status).toBe(200);
    return { email, secret };
  }

  it.each([
    ['zh-CN', 390, '登录 Hub', '验证器动态码', '动态码错误或已过期'],
    ['en', 1280, 'Sign in to the Hub', 'Authenticator code', 'That code is wrong or has expired'],
  ])(
    'asks for the authenticator code, refuses a wrong one and signs in (%s, %i px)',
    async (locale, width, title, codeLabel, wrongCode) => {
      const agent = await enrolledAgent();
      const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
      const page = await context.newPage();
      await page.goto(app.url);
      expect(await page.locator('h1').textContent()).toBe(title);
      await page.getByTestId('login-email').fill(agent.email);
      await page.getByTestId('login-password').fill(USER_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-code').waitFor();
      expect(await page.locator('label[for="login-code"]').textContent()).toBe(codeLabel);
      await page.getByTestId('login-code').fill('000000');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor();
      expect(await page.getByTestId('login-error').textContent()).toContain(wrongCode);
      await page.getByTestId('login-code').fill(await code(agent.secret, 1));
      await page.getByTestId('login-submit').click();
      await page.getByTestId('current-user').filter({ hasText: '王芳' }).waitFor();
      expect(await fitsViewport(page)).toBe(true);
      await context.close();
    },
  );

  it('switches the language and keeps the choice', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(app.url);
    expect(await page.locator('h1').textContent()).toBe('Sign in to the Hub');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByTestId('locale-switch').selectOption('zh-CN'),
    ]);
    await page.locator('h1', { hasText: '登录 Hub' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('登录 Hub');
    await context.close();
  });

  it('says a wrong password in the page language, not the raw API message', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('login-email').fill('nobody@test.local');
    await page.getByTestId('login-password').fill('wrong-password-123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toBe('邮箱或密码错误。');
    await context.close();
  });

  it('follows the system dark scheme', async () => {
    const luminance = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const colours = async (scheme: 'light' | 'dark') => {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(app.url);
      const card = page.getByTestId('login-form');
      await card.waitFor();
      const c = (await page.evaluate(`(() => {
        const card = document.querySelector('[data-testid="login-form"]');
        return { bg: getComputedStyle(card).backgroundColor, fg: getComputedStyle(card.querySelector('h1')).color };
      })()`)) as { bg: string; fg: string };
      await context.close();
      return { bg: luminance(c.bg), fg: luminance(c.fg) };
    };
    const light = await colours('light');
    const dark = await colours('dark');
    expect(light.bg).toBeGreaterThan(0.8);
    expect(dark.bg).toBeLessThan(0.2);
    expect(dark.fg).toBeGreaterThan(0.7);
  });
});
