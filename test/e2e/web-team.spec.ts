import { execFileSync } from 'child_process';
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { PresenceService } from '../../src/realtime/presence.service';
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

let app: TestApp;
let browser: Browser;
const sockets: Socket[] = [];

/** The newest modification time under dir (the app's sources), to rebuild a stale bundle. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

async function user(name: string, email: string, role: string, capacity = 10) {
  const u = await app.api('POST', '/api/v1/users', {
    email,
    name,
    password: USER_PASSWORD,
    role,
    capacity,
  });
  expect(u.status).toBe(201);
  return u.body.id as string;
}

/** An agent whose socket is connected, so they are online. */
async function onlineAgent(name: string, email: string, capacity: number) {
  const id = await user(name, email, 'agent', capacity);
  const token = await app.login(email, USER_PASSWORD);
  const s = io(`${app.url}/agents`, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  const presence = app.hub.app.get(PresenceService);
  await eventually(
    async () => (await presence.list()).some((p) => p.agentId === id && p.status === 'online'),
    `${name} online`,
  );
  return id;
}

const assigneeOf = async (id: string) =>
  (await app.api('GET', `/api/v1/conversations/${id}`)).body.assigneeId as string | null;

const inbound = async (from: string, text: string) => {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text });
  expect(r.status).toBeLessThan(300);
  return r.body.conversation.id as string;
};

async function openTeam(opts: { width: number; height: number; locale: string }) {
  const context = await browser.newContext({
    viewport: { width: opts.width, height: opts.height },
    locale: opts.locale,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByTestId('login-email').fill('sue@test.local');
  await page.getByTestId('login-password').fill(USER_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('conversation-list').waitFor();
  await page.getByTestId('nav-team').click();
  await page.getByTestId('team-page').waitFor();
  return { page, errors };
}

const agentCard = (page: Page, id: string) =>
  page.locator(`[data-testid="team-agent"][data-agent-id="${id}"]`);

const sideways = (page: Page) =>
  page.evaluate(
    '(() => { const m = document.querySelector("main"); return m.scrollWidth - m.clientWidth; })()',
  ) as Promise<number>;

/** With HUB_SCREENSHOTS=<dir>, keeps a picture of the screen there (docs/screenshots). */
async function shot(page: Page, name: string) {
  const dir = process.env.HUB_SCREENSHOTS;
  if (!dir) return;
  // The page scrolls inside <main>: show its top.
  await page.evaluate('document.querySelector("main").scrollTop = 0');
  await page.screenshot({ path: join(dir, name) });
}

let wang = '';
let li = '';

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
  await user('督导 Sue', 'sue@test.local', 'supervisor');
  wang = await onlineAgent('王芳', 'wangfang@test.local', 3);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await app?.close();
});

describe('The live team view of the agent web app', () => {
  it('shows online agents with load against capacity, updates live, and reassigns by menu and by drag (en, 1280 px)', async () => {
    const first = await inbound('+8613800138001', '订单还没发货');
    await eventually(async () => (await assigneeOf(first)) === wang, 'assigned to 王芳');

    const { page, errors } = await openTeam({ width: 1280, height: 900, locale: 'en-US' });
    const wangCard = agentCard(page, wang);
    await wangCard.waitFor();
    expect(await wangCard.getAttribute('data-status')).toBe('online');
    expect(
      await wangCard.locator('.team-agent-head').getByText('Online', { exact: true }).count(),
    ).toBe(1);
    expect(await wangCard.getByTestId('team-agent-load').textContent()).toContain('1 / 3');
    await wangCard.locator(`[data-conversation-id="${first}"]`).waitFor();

    // Live: another agent comes online and a new conversation arrives, with no reload.
    await page.getByTestId('team-live').getByText('Live').waitFor();
    li = await onlineAgent('李雷', 'lilei@test.local', 2);
    await agentCard(page, li).waitFor();
    const second = await inbound('+8613800138002', '发票抬头写错了');
    const holder = await eventually(async () => assigneeOf(second), 'the second assigned');
    await agentCard(page, holder).locator(`[data-conversation-id="${second}"]`).waitFor();

    // Reassign by menu: 王芳's conversation goes to 李雷.
    await wangCard
      .locator(`[data-conversation-id="${first}"]`)
      .getByTestId('reassign-select')
      .selectOption(li);
    await eventually(async () => (await assigneeOf(first)) === li, 'moved to 李雷');
    await agentCard(page, li).locator(`[data-conversation-id="${first}"]`).waitFor();
    await page.getByTestId('team-notice').getByText('Moved to 李雷.').waitFor();

    // Reassign by drag: back onto 王芳's card.
    await agentCard(page, li)
      .locator(`[data-conversation-id="${first}"]`)
      .dragTo(wangCard.locator('.team-agent-head'));
    await eventually(async () => (await assigneeOf(first)) === wang, 'dragged back to 王芳');
    await wangCard.locator(`[data-conversation-id="${first}"]`).waitFor();
    await shot(page, 'team-en-1280.png');
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });

  it('shows the queue waiting for capacity and SLA at risk, in Chinese on a phone (zh-CN, 390 px)', async () => {
    expect(
      (
        await app.api('POST', '/api/v1/sla-policies', {
          name: '短信 10 分钟',
          channel: 'sms',
          firstResponseSeconds: 600,
        })
      ).status,
    ).toBe(201);
    // Fill everyone up so the next ones wait.
    const more: string[] = [];
    for (let i = 3; i <= 6; i++) more.push(await inbound(`+861380013800${i}`, `第 ${i} 个问题`));
    const waiting = await eventually(async () => {
      const v = await app.api('GET', '/api/v1/team-view');
      const q = (v.body.queue as Array<{ id: string; queuedAt: string | null }>).filter(
        (c) => c.queuedAt,
      );
      return q.length ? q[0].id : null;
    }, 'a conversation queued for capacity');

    const { page, errors } = await openTeam({ width: 390, height: 844, locale: 'zh-CN' });
    await page.getByRole('heading', { name: '团队', exact: true }).waitFor();
    const wangCard = agentCard(page, wang);
    await wangCard.locator('.team-agent-head').getByText('在线', { exact: true }).waitFor();
    expect(await wangCard.getByTestId('team-agent-load').textContent()).toContain('/ 3');
    const queued = page.locator(
      `[data-testid="team-queue-item"][data-conversation-id="${waiting}"]`,
    );
    await queued.waitFor();
    expect(await queued.textContent()).toContain('起排队');
    const risk = page.locator(`[data-testid="team-sla-item"][data-conversation-id="${more[0]}"]`);
    await risk.waitFor();
    expect(await risk.textContent()).toContain('即将到期');
    expect(await risk.textContent()).toContain('首次响应');
    await shot(page, 'team-zh-CN-390.png');
    // The queued one can be handed to someone by its menu too.
    await queued.getByTestId('reassign-select').selectOption(wang);
    await eventually(async () => (await assigneeOf(waiting)) === wang, 'queued one to 王芳');
    await wangCard.locator(`[data-conversation-id="${waiting}"]`).waitFor();
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });

  it('is not in the nav of an agent', async () => {
    await user('坐席 Ada', 'ada@test.local', 'agent');
    const page = await (await browser.newContext()).newPage();
    await page.goto(app.url);
    await page.getByTestId('login-email').fill('ada@test.local');
    await page.getByTestId('login-password').fill(USER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('conversation-list').waitFor();
    expect(await page.getByTestId('nav-team').count()).toBe(0);
  });
});
