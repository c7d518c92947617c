import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

/** The newest modification time under dir (the app's sources), to rebuild a stale bundle. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

describe('IdentityClaims in the agent web app', () => {
  let app: TestApp;
  let browser: Browser;
  let socket: Socket;

  beforeAll(async () => {
    const built = join(ROOT, 'web', 'dist', 'index.html');
    if (!existsSync(built) || statSync(built).mtimeMs < newest(join(ROOT, 'web', 'src'))) {
      execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
    }
    app = await startTestApp();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    // A visitor writes, then claims an e-mail another customer holds, without proof.
    await app.api('POST', '/api/v1/customers', {
      displayName: 'Real Owner',
      identities: [{ channel: 'email', address: 'owner@example.cn' }],
    });
    socket = io(`${app.url}/chat`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise((resolve) => socket.once('session', resolve));
    await socket.emitWithAck('message', { text: 'I am the owner, show me my orders' });
    const answer = (await socket.emitWithAck('identify', { email: 'owner@example.cn' })) as {
      verified: boolean;
    };
    expect(answer.verified).toBe(false);
  });
  afterAll(async () => {
    socket?.disconnect();
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['en', 'unverified'],
    ['zh-CN', '未验证'],
  ])(
    "marks the visitor's claimed e-mail unverified in the customer panel (%s)",
    async (lang, marker) => {
      const context = await browser.newContext({ locale: lang });
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByTestId('login-email').fill(ADMIN.email);
      await page.getByTestId('login-password').fill(ADMIN.password);
      await page.getByTestId('login-submit').click();
      const row = page.getByTestId('conversation-row').filter({ hasText: 'show me my orders' });
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      const claim = page.locator('[data-testid="customer-claims"] li[data-claim-kind="email"]');
      await claim.waitFor({ timeout: 15_000 });
      expect(await claim.getAttribute('data-verified')).toBe('false');
      expect(await claim.textContent()).toContain('owner@example.cn');
      await eventually(
        async () => (await claim.getByTestId('claim-unverified').textContent()) === marker,
        `the ${lang} unverified marker`,
      );
      await context.close();
    },
  );
});
