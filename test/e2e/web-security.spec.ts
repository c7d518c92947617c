import { execFileSync } from 'child_process';
import { randomUUID } from 'crypto';
import { existsSync, readdirSync, statSync } from 'fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TrackingService } from '../../src/tracking/tracking.service';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const SECRET = 'web-security-secret-1';
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

let app: TestApp;
let browser: Browser;
/** A server on loopback standing for the rest of the web: senders' images, a framing site, a link target. */
let elsewhere: Server;
let elsewhereUrl: string;
const hits: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
const hitsOf = (path: string) => hits.filter((h) => h.path === path).length;

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
  if (!existsSync(join(ROOT, 'web', 'dist-widget', 'widget.js'))) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.widget.config.ts'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  }
  app = await startTestApp({ EMAIL_WEBHOOK_SECRET: SECRET });
  elsewhere = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.push({ path, headers: req.headers });
    if (path === '/framer.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><iframe id="hub" src="${app.url}/"></iframe>`);
    } else if (path.endsWith('.css')) {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end('p { color: red }');
    } else if (path.endsWith('.gif')) {
      res.writeHead(200, { 'content-type': 'image/gif' });
      res.end(GIF);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>landing</title><p>landed</p>');
    }
  });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise((r) => elsewhere?.close(r));
});

/** A page that records every Content-Security-Policy violation the browser reports on it. */
async function watchedPage(
  opts: { locale?: string; width?: number } = {},
): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-US',
    viewport: { width: opts.width ?? 1280, height: 800 },
  });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  return { page, violations };
}

async function logIn(page: Page): Promise<void> {
  await page.goto(app.url);
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('live-status').waitFor();
}

describe('Security headers', () => {
  it('are on pages, API answers and errors; /docs alone may run inline scripts', async () => {
    const paths = [
      '/',
      '/demo',
      '/widget.js',
      '/health',
      '/api/v1/auth/me',
      '/api/v1/nothing',
      '/u/not-a-token',
      '/t/c/not-a-token',
    ];
    for (const path of [...paths, '/docs']) {
      const r = await fetch(app.url + path);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect([path, csp]).toEqual([path, expect.stringContaining("frame-ancestors 'none'")]);
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      const scripts = /script-src ([^;]*)/.exec(csp)?.[1];
      expect([path, scripts]).toEqual([
        path,
        path === '/docs' ? "'self' 'unsafe-inline'" : "'self'",
      ]);
    }
    // Loaded by other sites: the widget script and the open pixel.
    const widget = await fetch(`${app.url}/widget.js`);
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const pixel = await fetch(`${app.url}/t/o/whatever.gif`);
    expect(pixel.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const api = await fetch(`${app.url}/api/v1/auth/me`);
    expect(api.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('lets no site frame the hub', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${elsewhereUrl}/framer.html`);
    await eventually(
      async () => violations.some((v) => v.includes("frame-ancestors 'none'")),
      'the browser refusing to frame the hub',
    );
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame?.url()).not.toBe(`${app.url}/`);
    await page.context().close();
  });

  it('runs the web app, the widget on /demo and /docs without a CSP violation', async () => {
    const { page, violations } = await watchedPage();
    await logIn(page);
    await page.getByTestId('conversation-list').waitFor();
    await page.goto(`${app.url}/#/reports`);
    await page.locator('.reports').waitFor();

    await page.goto(`${app.url}/demo`);
    await page.getByTestId('chat-bubble').click();
    await page.getByTestId('chat-input').fill('Do you ship to Suzhou?');
    await page.getByTestId('chat-send').click();
    await eventually(
      () =>
        page.evaluate(() =>
          (
            globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
          ).localStorage.getItem('hub.visitorToken'),
        ),
      'the widget connected over socket.io',
    );

    await page.goto(`${app.url}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('sends a tracked link on to its destination with the hub origin as the only referrer', async () => {
    const signer = app.hub.app.get(TrackingService).signer;
    const token = signer.sign('c', [
      randomUUID(),
      randomUUID(),
      'email',
      `${elsewhereUrl}/landing`,
    ]);
    const { page } = await watchedPage();
    await page.goto(`${app.url}/demo`);
    await Promise.all([
      page.waitForURL(`${elsewhereUrl}/landing`),
      page.evaluate((href) => {
        (globalThis as unknown as { location: { href: string } }).location.href = href;
      }, `${app.url}/t/c/${token}`),
    ]);
    const landing = hits.filter((h) => h.path === '/landing').at(-1);
    expect(landing?.headers.referer).toBe(`${app.url}/`);
    await page.context().close();
  });
  it('lets the unsubscribe page post its one-click form under the policy', async () => {
    const customer = await app.api('POST', '/api/v1/customers', {
      displayName: 'Unsubscribing customer',
      identities: [{ channel: 'email', address: 'leaving@customer.test' }],
    });
    expect(customer.status).toBe(201);
    const signer = app.hub.app.get(TrackingService).signer;
    const token = signer.sign('u', [randomUUID(), customer.body.id as string, 'email']);
    const { page, violations } = await watchedPage();
    await page.goto(`${app.url}/u/${token}`);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByText('You are unsubscribed.').waitFor();
    const consents = await app.api('GET', `/api/v1/customers/${customer.body.id}/consents`);
    expect(JSON.stringify(consents.body)).toContain('revoked');
    expect(violations).toEqual([]);
    await page.context().close();
  });
});

describe('The formatted e-mail view', () => {
  async function inboundEmail(tag: string): Promise<{ conversationId: string; messageId: string }> {
    const boundary = `b-${tag}`;
    const html =
      `<html><head><link rel="stylesheet" href="${elsewhereUrl}/css-${tag}.css"></head><body>` +
      `<p>Order ${tag} arrived broken</p><img src="${elsewhereUrl}/px-${tag}.gif" width="1" height="1">` +
      `<div style="background:url(${elsewhereUrl}/bg-${tag}.gif)">photo</div>` +
      `<meta http-equiv="refresh" content="0;url=${elsewhereUrl}/refresh-${tag}"></body></html>`;
    const mime = [
      `From: Mei <mei-${tag}@customer.test>`,
      'To: support@localhost',
      `Subject: Broken order ${tag}`,
      `Message-ID: <${randomUUID()}@customer.test>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Order ${tag} arrived broken`,
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const r = await fetch(`${app.url}/webhooks/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-webhook-secret': SECRET },
      body: mime,
    });
    expect(r.status).toBe(202);
    return (await r.json()) as { conversationId: string; messageId: string };
  }

  it.each([
    ['en', 'en-US', 'Show formatted', 'Load remote content'],
    ['zh', 'zh-CN', '显示格式化内容', '加载远程内容'],
  ])(
    'loads nothing remote until the agent asks (%s, phone width)',
    async (tag, locale, show, load) => {
      const { conversationId, messageId } = await inboundEmail(tag);
      const { page } = await watchedPage({ locale, width: 375 });
      await logIn(page);
      await page.goto(`${app.url}/#/c/${conversationId}`);
      const message = page.locator(`[data-testid="message"][data-message-id="${messageId}"]`);
      const toggle = message.getByTestId('toggle-formatted');
      await toggle.waitFor();
      expect(await toggle.textContent()).toBe(show);
      await toggle.click();

      const frameEl = message.getByTestId('formatted-email');
      await expect(frameEl.getAttribute('data-remote')).resolves.toBe('blocked');
      const frame = await (await frameEl.elementHandle())!.contentFrame();
      await frame!.waitForLoadState('load');
      await message
        .frameLocator('[data-testid="formatted-email"]')
        .getByText(`Order ${tag} arrived broken`)
        .waitFor();
      // The frame has loaded: anything it was allowed to fetch has been asked for by now.
      const remote = [`/px-${tag}.gif`, `/bg-${tag}.gif`, `/css-${tag}.css`];
      expect(remote.map(hitsOf)).toEqual([0, 0, 0]);
      expect(hitsOf(`/refresh-${tag}`)).toBe(0);

      const button = message.getByTestId('load-remote');
      expect(await button.textContent()).toBe(load);
      const box = (await button.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
      await button.click();
      await eventually(
        async () => remote.every((p) => hitsOf(p) > 0),
        `the remote image, background and stylesheet of ${tag}`,
      );
      await expect(frameEl.getAttribute('data-remote')).resolves.toBe('loaded');
      await expect(button.count()).resolves.toBe(0);
      expect(hitsOf(`/refresh-${tag}`)).toBe(0);
      await page.context().close();
    },
  );
});
