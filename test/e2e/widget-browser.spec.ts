import { startTestApp, eventually, type TestApp } from '../support/test-app';
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { OutboundService } from '../../src/delivery/outbound.service';

const ROOT = join(__dirname, '..', '..');

describe('The chat widget on /demo in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'web', 'dist-widget', 'widget.js'))) {
      execFileSync('npx', ['vite', 'build', '--config', 'web/vite.widget.config.ts'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
    }
    app = await startTestApp();
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
});
