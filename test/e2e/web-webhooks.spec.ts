import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** The webhooks settings in Chromium (issue 21): subscribe, the secret once, deliveries, replay. */
describe('Webhooks in the settings', () => {
  let app: TestApp;
  let browser: Browser;
  let receiver: Server;
  let base = '';
  const received: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    buildWebIfStale();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '/', headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((r) => receiver.close(r));
  });

  it.each([
    ['zh-CN', 390, '仅显示这一次', '已送达', '已暂停'],
    ['en', 1280, 'shown this once', 'Delivered', 'Paused'],
  ])(
    'subscribes, verifies a delivery with the secret shown once, replays it, pauses (%s, %i px)',
    async (locale, width, onceText, deliveredText, pausedText) => {
      const path = `/hook-${locale}`;
      const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
      const page = await context.newPage();
      await signIn(page, app.url, ADMIN.email, ADMIN.password);
      await page.getByTestId('logout').waitFor();
      await page.goto(`${app.url}/#/settings/webhooks`);
      await page.getByTestId('settings-webhooks').waitFor();
      await page.getByTestId('webhook-new').click();
      await page.getByTestId('webhook-url').fill(`${base}${path}`);
      await page.getByTestId('webhook-save').click();
      await page.getByRole('alert').waitFor();
      await page.getByTestId('webhook-event-customer.merged').check();
      await page.getByTestId('webhook-save').click();
      const callout = page.getByTestId('webhook-secret');
      await callout.waitFor();
      expect(await callout.innerText()).toContain(onceText);
      const secret = (await page.getByTestId('webhook-secret-value').innerText()).trim();
      expect(secret).toMatch(/^whsec_/);
      expect(await fitsViewport(page)).toBe(true);

      // A real merge makes the event.
      const make = (n: string) =>
        app.api('POST', '/api/v1/customers', {
          displayName: n,
          identities: [{ channel: 'email', address: `${n}-${locale}@example.com` }],
        });
      const [a, b] = [await make('keep'), await make('dup')];
      expect(
        (await app.api('POST', `/api/v1/customers/${a.body.id}/merge`, { duplicateId: b.body.id }))
          .status,
      ).toBe(201);
      const got = await eventually(
        async () => received.find((r) => r.path === path),
        'the delivery reached the receiver',
      );
      const body = new Webhook(secret).verify(got.body, {
        'webhook-id': String(got.headers['webhook-id']),
        'webhook-timestamp': String(got.headers['webhook-timestamp']),
        'webhook-signature': String(got.headers['webhook-signature']),
      }) as { type: string; data: { survivorId: string } };
      expect(body).toMatchObject({ type: 'customer.merged', data: { survivorId: a.body.id } });

      const row = page.getByTestId('webhook-row').filter({ hasText: path });
      await row.getByTestId('webhook-deliveries-toggle').click();
      const delivery = row.getByTestId('webhook-delivery').first();
      await delivery.waitFor();
      await eventually(async () => {
        await row.getByTestId('webhook-deliveries-toggle').click();
        await row.getByTestId('webhook-deliveries-toggle').click();
        return (await delivery.getAttribute('data-status')) === 'delivered';
      }, 'the log shows the delivery delivered');
      expect(await delivery.innerText()).toContain(deliveredText);
      await row.getByTestId('webhook-replay').first().click();
      await eventually(
        async () => received.filter((r) => r.path === path).length === 2,
        'the replay reached the receiver',
      );
      expect(received.filter((r) => r.path === path)[1].headers['webhook-id']).toBe(
        got.headers['webhook-id'],
      );

      await row.getByTestId('webhook-toggle').click();
      await eventually(
        async () => (await row.getAttribute('data-active')) === 'false',
        'the subscription paused',
      );
      expect(await row.getByTestId('webhook-state').innerText()).toBe(pausedText);
      await context.close();
    },
  );
});
