import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let app: TestApp;
let browser: Browser;
let chenConversation: string;
let wangConversation: string;

/** The newest modification time under dir (the app's sources), to rebuild a stale bundle. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

async function makeAgent(email: string, name: string) {
  const r = await app.api('POST', '/api/v1/users', {
    email,
    name,
    password: USER_PASSWORD,
    role: 'agent',
  });
  expect(r.status).toBe(201);
}

async function logIn(
  email: string,
  locale: string,
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(USER_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('conversation-list').waitFor();
  return page;
}

async function inbound(from: string, text: string): Promise<string> {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text });
  expect(r.status).toBeLessThan(300);
  return r.body.conversation.id as string;
}

const row = (page: Page, id: string) =>
  page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);

beforeAll(async () => {
  const built = join(ROOT, 'web', 'dist', 'index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(ROOT, 'web', 'src'))) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  }
  app = await startTestApp();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  await makeAgent('ann@test.local', 'Ann Agent');
  await makeAgent('bob@test.local', '王伟');
  for (const [displayName, address] of [
    ['陈静', '+8613800138000'],
    ['王芳', '+8613900139000'],
  ] as const) {
    const r = await app.api('POST', '/api/v1/customers', {
      displayName,
      identities: [{ channel: 'sms', address }],
    });
    expect(r.status).toBe(201);
  }
  chenConversation = await inbound('+8613800138000', '订单什么时候到？');
  wangConversation = await inbound('+8613900139000', '我想退货');
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const TEXTS = {
  'zh-CN': { placeholder: '搜索客户和消息', heading: '客户', byName: '姓名匹配', phone: '电话' },
  en: {
    placeholder: 'Search customers and messages',
    heading: 'Customers',
    byName: 'Name matches',
    phone: 'Phone',
  },
} as const;

describe('Searching customers in the web app', () => {
  for (const locale of ['zh-CN', 'en'] as const)
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ])
      it(`finds a customer by two Chinese characters of the name (${locale}, ${viewport.width} px)`, async () => {
        const texts = TEXTS[locale];
        const page = await logIn('ann@test.local', locale, viewport);
        await row(page, wangConversation).waitFor();
        const box = page.getByTestId('filter-search');
        expect(await box.getAttribute('placeholder')).toBe(texts.placeholder);

        await box.fill('陈静');
        const matched = page.getByTestId('matched-customer');
        await matched.getByText('陈静').waitFor();
        expect(await page.getByTestId('matched-customers').locator('h3').textContent()).toBe(
          texts.heading,
        );
        expect(await matched.getByTestId('matched-identity').textContent()).toBe(texts.byName);
        await row(page, chenConversation).waitFor();
        expect(await row(page, wangConversation).count()).toBe(0);
        // Nothing wider than the screen, the matched customers included.
        expect(
          await page.evaluate(() => {
            const w = globalThis as unknown as {
              innerWidth: number;
              document: { documentElement: { scrollWidth: number } };
            };
            return w.document.documentElement.scrollWidth <= w.innerWidth;
          }),
        ).toBe(true);

        // A phone typed in national format shows the number that matched.
        await box.fill('138 0013 8000');
        await page
          .getByTestId('matched-identity')
          .getByText(`${texts.phone} · +8613800138000`)
          .waitFor();
        await matched.click();
        await page.getByTestId('timeline').getByText('订单什么时候到？').waitFor();
        await page.context().close();
      });

  it("shows a reply's author by name live, to the author and to a colleague", async () => {
    const ann = await logIn('ann@test.local', 'en');
    const bob = await logIn('bob@test.local', 'zh-CN');
    for (const page of [ann, bob]) {
      await row(page, wangConversation).click();
      await page.getByTestId('timeline').getByText('我想退货').waitFor();
    }
    await bob.getByTestId('reply-text').fill('好的，已为您办理退货');
    await bob.getByTestId('reply-send').click();
    for (const page of [ann, bob]) {
      const reply = page
        .locator('[data-testid="message"]')
        .filter({ hasText: '好的，已为您办理退货' });
      await reply.locator('.who').getByText('王伟').waitFor();
      // Still named once the message's own live event has replaced the optimistic copy.
      await reply.locator('[data-testid="message-status"]:not([data-status="queued"])').waitFor();
      expect(await reply.locator('.who').textContent()).toBe('王伟');
    }
  });
});
