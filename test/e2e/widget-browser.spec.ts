import { startTestApp, eventually, type TestApp } from '../support/test-app';
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { OutboundService } from '../../src/delivery/outbound.service';

const ROOT = join(__dirname, '..', '..');

describe('The chat widget on /demo in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    // Built each time: a widget.js left over from an older checkout would test old code.
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.widget.config.ts'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    expect(existsSync(join(ROOT, 'web', 'dist-widget', 'widget.js'))).toBe(true);
    app = await startTestApp({ LIVECHAT_IDENTITY_SECRET: 'widget-browser-identity-secret' });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('serves /widget.js as JavaScript with cache headers and /demo as HTML', async () => {
    const js = await fetch(`${app.url}/widget.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect((await js.text()).length).toBeLessThan(30 * 1024);
    const demo = await fetch(`${app.url}/demo`);
    expect(demo.status).toBe(200);
    expect(demo.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await demo.text()).toContain('<script src="/widget.js"');
  });

  it('sends a visitor message to the timeline and shows the agent reply in the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/demo`);
    await page.getByTestId('chat-bubble').click();
    await page.getByTestId('chat-input').fill('Is the Longjing in stock?');
    await page.getByTestId('chat-send').click();
    const token = await eventually(
      () =>
        page.evaluate(() =>
          (
            globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
          ).localStorage.getItem('hub.visitorToken'),
        ),
      'the visitor token in localStorage',
    );
    expect(token).toEqual(expect.any(String));

    const db = app.hub.app.get(DataSource);
    const row = await eventually(async () => {
      const rows = (await db.query(
        `SELECT customer_id, conversation_id FROM messages WHERE channel = 'livechat' AND direction = 'inbound' AND text = $1`,
        ['Is the Longjing in stock?'],
      )) as Array<{ customer_id: string; conversation_id: string }>;
      return rows[0];
    }, 'the visitor message on the timeline');
    const timeline = await app.api('GET', `/api/v1/customers/${row.customer_id}/timeline`);
    expect(timeline.body.items[0]).toMatchObject({
      channel: 'livechat',
      direction: 'inbound',
      text: 'Is the Longjing in stock?',
    });

    await app.hub.app.get(OutboundService).send({
      customerId: row.customer_id,
      conversationId: row.conversation_id,
      channel: 'livechat',
      text: 'Yes, 40 tins left.',
      purpose: 'service',
    });
    const reply = page.locator('[data-testid="chat-message"][data-direction="outbound"]', {
      hasText: 'Yes, 40 tins left.',
    });
    await reply.waitFor({ timeout: 15_000 });
    await expect(reply.count()).resolves.toBe(1);
    await expect(
      page.locator('[data-testid="chat-message"][data-direction="inbound"]').count(),
    ).resolves.toBe(1);
    await page.close();
  });

  const CODE_FLOW = [
    {
      lang: 'en',
      email: 'wei.zhang@example.com',
      sent: 'We sent a code to w***@example.com',
      wrong: 'That code is not right (4 left).',
      verified: 'Thanks, you are verified.',
      save: 'Save',
    },
    {
      lang: 'zh-CN',
      email: 'li.na@example.cn',
      sent: '验证码已发送至 l***@example.cn',
      wrong: '验证码不正确（剩余 4 次）。',
      verified: '验证成功，谢谢。',
      save: '保存',
    },
  ] as const;

  it.each(CODE_FLOW)(
    'asks for the code sent to a claimed e-mail and links the visitor once it is entered ($lang, 375 px wide)',
    async ({ lang, email, sent, wrong, verified, save }) => {
      const owner = await app.api('POST', '/api/v1/customers', {
        displayName: `Owner ${lang}`,
        identities: [{ channel: 'email', address: email }],
      });
      const context = await browser.newContext({
        locale: lang,
        viewport: { width: 375, height: 740 },
      });
      const page = await context.newPage();
      // The demo page in the visitor's language (the widget follows the page, then the browser).
      await page.route(`${app.url}/demo`, async (route) => {
        const res = await route.fetch();
        const html = (await res.text()).replace('<html lang="en">', `<html lang="${lang}">`);
        await route.fulfill({ response: res, body: html });
      });
      await page.goto(`${app.url}/demo`);
      await page.getByTestId('chat-bubble').click();
      await page.getByTestId('chat-identify-toggle').click();
      await expect(page.getByTestId('chat-identify').textContent()).resolves.toBe(save);
      await page.getByTestId('chat-name').fill('Visitor');
      await page.getByTestId('chat-email').fill(email);
      await page.getByTestId('chat-identify').click();
      const sentLine = page.getByTestId('chat-code-sent');
      await sentLine.waitFor({ timeout: 15_000 });
      expect(await sentLine.textContent()).toContain(sent);

      // Everything fits a phone: the panel, the code field and its button.
      for (const id of ['chat-panel', 'chat-code', 'chat-verify']) {
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(375);
      }

      const code = await eventually(async () => {
        const r = await app.api('GET', `/api/v1/sandbox/outbox?channel=email&to=${email}`);
        const item = (r.body.items as Array<{ text: string }>)[0];
        return item ? /\b(\d{6})\b/.exec(item.text)?.[1] : null;
      }, 'the code in the sandbox outbox');
      await page
        .getByTestId('chat-code')
        .fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
      await page.getByTestId('chat-verify').click();
      await page.getByTestId('chat-error').filter({ hasText: wrong }).waitFor();
      await page.getByTestId('chat-code').fill(code);
      await page.getByTestId('chat-verify').click();
      await page.getByTestId('chat-notice').filter({ hasText: verified }).waitFor();
      expect(await page.getByTestId('chat-code-form').isHidden()).toBe(true);

      const db = app.hub.app.get(DataSource);
      const claim = (await db.query(
        `SELECT status, owner_customer_id, visitor_id FROM livechat_identity_claims WHERE address = $1`,
        [email],
      )) as Array<{ status: string; owner_customer_id: string; visitor_id: string }>;
      expect(claim[0]).toMatchObject({ status: 'verified', owner_customer_id: owner.body.id });
      const linked = await app.api(
        'GET',
        `/api/v1/customers?identity=livechat:${claim[0].visitor_id}`,
      );
      expect(linked.body.id).toBe(owner.body.id);
      await context.close();
    },
  );

  it('says why a new visitor is refused when its address has opened too many chats this minute', async () => {
    const from = '203.0.113.77';
    // Use up this address's new visitors (CHAT_NEW_VISITORS_PER_MINUTE, 60 by default).
    const used = [];
    for (;;) {
      const s = io(`${app.url}/chat`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { 'x-forwarded-for': from },
      });
      used.push(s);
      const refused = await new Promise<boolean>((resolve) => {
        s.once('session', () => resolve(false));
        s.once('connect_error', () => resolve(true));
      });
      if (refused) break;
      expect(used.length).toBeLessThanOrEqual(60);
    }
    for (const s of used) s.disconnect();
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': from } });
    const page = await context.newPage();
    await page.goto(`${app.url}/demo`);
    await page.getByTestId('chat-bubble').click();
    await page
      .getByTestId('chat-error')
      .filter({
        hasText: /^new visitor refused: at most 60 new visitors per minute from one address/,
      })
      .waitFor({ timeout: 15_000 });
    await context.close();
  });
});
