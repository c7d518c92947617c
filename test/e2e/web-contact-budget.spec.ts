import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const FROM = '+8613600136077';

/** The newest modification time under dir (the app's sources), to rebuild a stale bundle. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

const TEXT = {
  en: {
    held: 'Marketing on hold',
    hold: 'Open support conversation since',
    remaining: 'Marketing left: 1 today, 2 this week',
    quiet: 'quiet now, until',
    best: 'SMS',
  },
  'zh-CN': {
    held: '营销暂停',
    hold: '客服会话未结束',
    remaining: '剩余营销额度：今天 1 条，本周 2 条',
    quiet: '当前免打扰，至',
    best: '短信',
  },
} as const;

describe('The contact budget in the customer panel', () => {
  let app: TestApp;
  let browser: Browser;
  let conversationId: string;
  let quietEnd: string;

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
    // A customer who wrote in (an open conversation: marketing held), had one marketing
    // message three days ago, and is in quiet hours now (Asia/Shanghai).
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: FROM,
      text: 'my invoice is wrong',
    });
    expect(inbound.status).toBeLessThan(300);
    conversationId = inbound.body.conversation.id as string;
    const customerId = inbound.body.conversation.customerId as string;
    await app.hub.app.get(DataSource).query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, purpose, created_at)
       VALUES ($1, 'outbound', 'message', 'sms', 'delivered', 'earlier promo', 'marketing', now() - interval '3 days')`,
      [customerId],
    );
    const shanghai = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16); // no DST in Shanghai
    quietEnd = shanghai(Date.now() + 2 * 3_600_000);
    expect(
      (await app.api('PATCH', `/api/v1/customers/${customerId}`, { timezone: 'Asia/Shanghai' }))
        .status,
    ).toBe(200);
    const prefs = await app.api('PUT', `/api/v1/customers/${customerId}/preferences`, {
      matrix: [],
      quietHours: { start: shanghai(Date.now() - 3_600_000), end: quietEnd },
    });
    expect(prefs.status).toBeLessThan(300);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['en', 1280],
    ['en', 390],
    ['zh-CN', 1280],
    ['zh-CN', 390],
  ] as const)(
    'shows marketing left, the hold, quiet hours and the best channel (%s, %i px)',
    async (lang, width) => {
      const text = TEXT[lang];
      const context = await browser.newContext({ locale: lang, viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByTestId('login-email').fill(ADMIN.email);
      await page.getByTestId('login-password').fill(ADMIN.password);
      await page.getByTestId('login-submit').click();
      const row = page.locator(
        `[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`,
      );
      await row.waitFor({ timeout: 15_000 });
      await row.click();

      const budget = page.locator('[data-testid="contact-budget"][data-state="ready"]');
      if (width < 1100) {
        // No room for the panel beside the conversation: it opens over it, and closes again.
        expect(await page.getByTestId('customer-panel').isVisible()).toBe(false);
        await page.getByTestId('show-customer').click();
      } else {
        expect(await page.getByTestId('show-customer').isVisible()).toBe(false);
      }
      await budget.waitFor({ timeout: 15_000 });
      const box = await page.getByTestId('customer-panel').boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);

      expect(await budget.getByTestId('budget-remaining').textContent()).toContain(text.remaining);
      const held = budget.getByTestId('budget-held');
      expect(await held.getAttribute('data-held')).toBe('true');
      expect(await held.textContent()).toBe(text.held);
      const hold = budget.locator('[data-testid="budget-hold"][data-kind="openConversation"]');
      expect(await hold.textContent()).toContain(text.hold);
      expect(await hold.getAttribute('data-reason')).toMatch(
        /^held: open support conversation since /,
      );
      const quiet = budget.getByTestId('budget-quiet');
      expect(await quiet.getAttribute('data-active')).toBe('true');
      const quietText = (await quiet.textContent()) ?? '';
      expect(quietText).toContain('Asia/Shanghai');
      expect(quietText).toContain(text.quiet);
      // "until" is the end of the window, in the customer's time zone.
      expect(quietText.slice(quietText.indexOf(text.quiet))).toContain(quietEnd);
      const best = budget.getByTestId('budget-best');
      expect(await best.getAttribute('data-channel')).toBe('sms');
      expect(await best.textContent()).toContain(text.best);
      await page.screenshot({ path: `/tmp/contact-budget-${lang}-${width}.png` });

      if (width < 1100) {
        await page.getByTestId('customer-close').click();
        await eventually(
          async () => !(await page.getByTestId('customer-panel').isVisible()),
          'the panel to close',
        );
      }
      await context.close();
    },
  );
});
