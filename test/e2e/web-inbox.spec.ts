import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

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
const FROM = '+8613600136001';

let app: TestApp;
let browser: Browser;

async function makeAgent(email: string, name: string) {
  const r = await app.api('POST', '/api/v1/users', {
    email,
    name,
    password: USER_PASSWORD,
    role: 'agent',
  });
  expect(r.status).toBe(201);
}

async function logIn(email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(USER_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('conversation-list').waitFor();
  await page.getByTestId('live-status').waitFor();
  return page;
}

/** The newest modification time under dir (the app's sources), to rebuild a stale bundle. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

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
  await makeAgent('bob@test.local', 'Bob Agent');
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('The agent web app', () => {
  it('shows an arriving SMS live, sends the reply, and shows a colleague typing', async () => {
    const ann = await logIn('ann@test.local');
    const rows = ann.getByTestId('conversation-row');
    const before = await rows.count();

    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: FROM,
      text: '你好, my order is late',
    });
    expect(inbound.status).toBeLessThan(300);
    const conversationId = inbound.body.conversation.id as string;
    const row = ann.locator(
      `[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`,
    );
    await row.waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(before + 1);
    await row.click();
    await ann.getByTestId('timeline').getByText('你好, my order is late').waitFor();

    const bob = await logIn('bob@test.local');
    await bob
      .locator(`[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`)
      .click();
    await bob.getByTestId('timeline').getByText('你好, my order is late').waitFor();

    await ann.getByTestId('reply-text').pressSequentially('Sorry about that, ', { delay: 20 });
    await bob
      .getByTestId('typing-indicator')
      .getByText(/Ann Agent/)
      .waitFor({ timeout: 10_000 });

    await ann.getByTestId('reply-text').pressSequentially('it ships today.');
    await ann.getByTestId('reply-send').click();
    await ann.getByTestId('timeline').getByText('Sorry about that, it ships today.').waitFor();
    await eventually(async () => {
      const out = await app.api(
        'GET',
        `/api/v1/sandbox/outbox?channel=sms&to=${encodeURIComponent(FROM)}`,
      );
      return out.body.items.some(
        (i: { text: string }) => i.text === 'Sorry about that, it ships today.',
      );
    }, 'the reply in the SMS sandbox outbox');
    await bob.getByTestId('timeline').getByText('Sorry about that, it ships today.').waitFor();
  });

  it('toasts a mention and a due follow-up to that agent only, and shows who is online', async () => {
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613600136002',
      text: 'please call me back',
    });
    const conversationId = inbound.body.conversation.id as string;
    const ann = await logIn('ann@test.local');
    const bob = await logIn('bob@test.local');
    const annToken = await app.login('ann@test.local', USER_PASSWORD);
    const bobToken = await app.login('bob@test.local', USER_PASSWORD);

    const bobMe = await app.api('GET', '/api/v1/auth/me', undefined, bobToken);
    await ann
      .locator(
        `[data-testid="presence-agent"][data-agent-id="${bobMe.body.id}"][data-status="online"]`,
      )
      .getByText('Bob Agent')
      .waitFor({ timeout: 10_000 });

    expect(
      (
        await app.api(
          'POST',
          `/api/v1/conversations/${conversationId}/notes`,
          { text: '@bob can you take this one?' },
          annToken,
        )
      ).status,
    ).toBe(201);
    const mention = bob.locator('[data-testid="notification"][data-kind="mention"]');
    await mention.getByText('Ann Agent mentioned you').waitFor({ timeout: 10_000 });
    await mention.getByText('@bob can you take this one?').waitFor();
    expect(await ann.getByTestId('notification').count()).toBe(0);
    await mention.getByTestId('notification-open').click();
    await bob.getByTestId('timeline').getByText('@bob can you take this one?').waitFor();
    expect(await bob.getByTestId('notification').count()).toBe(0);

    const at = new Date(Date.now() + 1500).toISOString();
    expect(
      (
        await app.api(
          'POST',
          `/api/v1/conversations/${conversationId}/follow-ups`,
          { at, note: 'ring the customer' },
          bobToken,
        )
      ).status,
    ).toBe(201);
    const due = bob.locator(
      `[data-testid="notification"][data-kind="follow_up"][data-conversation-id="${conversationId}"]`,
    );
    await due.getByText('ring the customer').waitFor({ timeout: 15_000 });
    await due.getByTestId('notification-dismiss').click();
    await due.waitFor({ state: 'detached' });
  });
});
