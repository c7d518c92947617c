import type { Browser, Page } from 'playwright-core';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/**
 * The bell is the app's, not the inbox's: a mention or an assignment made through the API reaches
 * the bell and the page title on every page a role can open, over the tab's one shared socket.
 */
/** Desktop alerts granted and sound on, both recorded: window.__desktop (titles), window.__chimes. */
const ALERT_RECORDER = `
  window.__desktop = [];
  window.__chimes = 0;
  try {
    localStorage.setItem('hub.notify.desktop', '1');
    localStorage.setItem('hub.notify.sound', '1');
  } catch {}
  window.Notification = class {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title) { window.__desktop.push(title); }
  };
  window.AudioContext = function () { window.__chimes++; throw new Error('no audio device'); };
`;

describe('The notification bell on every page', () => {
  let app: TestApp;
  let browser: Browser;
  let phone = 139200;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A new unassigned conversation (an inbound SMS) anyone on staff may see. */
  async function conversation(): Promise<string> {
    const from = `+8613800${++phone}`;
    const r = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from,
      text: `请问有人吗？ ${from}`,
    });
    expect(r.status).toBeLessThan(300);
    return r.body.conversation.id as string;
  }

  /** Counts the socket.io websockets this page opens and closes. */
  function countSockets(page: Page): { open: () => number; opened: () => number } {
    let opened = 0;
    let closed = 0;
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/socket.io/')) return;
      opened++;
      ws.on('close', () => closed++);
    });
    return { open: () => opened - closed, opened: () => opened };
  }

  /** The server's count of open `/agents` connections (from /metrics). */
  async function agentsConnections(): Promise<number> {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`hub_realtime_connections{namespace="/agents"}`));
    return Number(line?.split(' ').pop() ?? NaN);
  }

  async function expectCount(page: Page, base: string, n: number): Promise<void> {
    await page
      .getByTestId('notification-count')
      .filter({ hasText: String(n) })
      .waitFor();
    await page.waitForFunction(`document.title === ${JSON.stringify(`(${n}) ${base}`)}`);
  }

  /** Goes to a page by its hash (no reload) and waits for it to show. */
  async function open(page: Page, hash: string, testId: string): Promise<void> {
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    await page.getByTestId(testId).waitFor({ timeout: 15_000 });
  }

  it.each([
    ['en', 1280, 'Rowan Blake', 'rowan@test.local', '@Rowan'],
    ['zh-CN', 390, '孙悦', 'sunyue@test.local', '@孙悦'],
  ])(
    '%s at %i px: an agent on the reports page hears a mention and an assignment',
    async (...args) => {
      const [locale, width, name, email, handle] = args as [string, number, string, string, string];
      const agent = await app.api('POST', '/api/v1/users', {
        email,
        name,
        password: USER_PASSWORD,
        role: 'agent',
      });
      expect(agent.status).toBe(201);
      const [first, second] = [await conversation(), await conversation()];

      const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
      await context.addInitScript(ALERT_RECORDER);
      const page = await context.newPage();
      const sockets = countSockets(page);
      await signIn(page, app.url, email, USER_PASSWORD);
      await page.getByTestId('conversation-list').waitFor({ timeout: 15_000 });
      await open(page, '#/reports', 'reports-page');
      await page.getByTestId('notification-bell').waitFor();
      expect(await page.getByTestId('notification-count').count()).toBe(0);
      const base = await page.title();

      const sup = await app.userToken('supervisor', '钱主管');
      const note = await app.api(
        'POST',
        `/api/v1/conversations/${first}/notes`,
        { text: `${handle} 请跟进` },
        sup.token,
      );
      expect(note.status).toBe(201);
      await expectCount(page, base, 1);
      await page.waitForFunction('window.__desktop.length === 1 && window.__chimes === 1');

      const assigned = await app.api(
        'POST',
        `/api/v1/conversations/${second}/assign`,
        { agentId: agent.body.id },
        sup.token,
      );
      expect(assigned.status).toBe(200);
      await expectCount(page, base, 2);
      await page.waitForFunction('window.__desktop.length === 2 && window.__chimes === 2');
      expect(await fitsViewport(page)).toBe(true);

      // Back to the inbox and out again: still the one socket, on the page and on the server.
      await open(page, '#/', 'conversation-list');
      await open(page, '#/reports', 'reports-page');
      expect(sockets.opened()).toBe(1);
      expect(sockets.open()).toBe(1);
      await eventually(async () => (await agentsConnections()) === 1, 'one /agents connection');
      await context.close();
      await eventually(async () => (await agentsConnections()) === 0, 'the socket closed');
    },
  );

  it('en at 1280 px: a supervisor hears assignments and mentions on team, campaigns and settings', async () => {
    const sup = await app.api('POST', '/api/v1/users', {
      email: 'harper@test.local',
      name: 'Harper',
      password: USER_PASSWORD,
      role: 'supervisor',
    });
    expect(sup.status).toBe(201);
    const context = await browser.newContext({
      locale: 'en',
      viewport: { width: 1280, height: 844 },
    });
    const page = await context.newPage();
    const sockets = countSockets(page);
    await signIn(page, app.url, 'harper@test.local', USER_PASSWORD);
    await page.getByTestId('conversation-list').waitFor({ timeout: 15_000 });
    await open(page, '#/team', 'team-page');
    await page.getByTestId('team-live').filter({ hasText: 'Live' }).waitFor();
    const base = await page.title();

    const assign = async () => {
      const r = await app.api('POST', `/api/v1/conversations/${await conversation()}/assign`, {
        agentId: sup.body.id,
      });
      expect(r.status).toBe(200);
    };
    await assign();
    await expectCount(page, base, 1);

    await open(page, '#/campaigns', 'campaigns-page');
    const note = await app.api('POST', `/api/v1/conversations/${await conversation()}/notes`, {
      text: '@Harper please look',
    });
    expect(note.status).toBe(201);
    await expectCount(page, base, 2);

    await open(page, '#/settings/sla', 'settings');
    await assign();
    await expectCount(page, base, 3);

    expect(sockets.opened()).toBe(1);
    expect(sockets.open()).toBe(1);
    await eventually(async () => (await agentsConnections()) === 1, 'one /agents connection');
    await context.close();
  });
});
