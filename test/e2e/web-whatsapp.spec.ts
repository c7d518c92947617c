import type { Browser } from 'playwright-core';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** A WhatsApp conversation in the web app: the channel proposed, its window named, a reply sent. */
describe('WhatsApp conversations in the web app', () => {
  let app: TestApp;
  let browser: Browser;
  let seq = 0;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp({});
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each([
    ['zh-CN', 390, /24 小时内自由回复/],
    ['en', 1280, /within 24 hours of the customer’s last WhatsApp message/],
  ])(
    'proposes WhatsApp, names the 24-hour window and sends the reply (%s, %i px)',
    async (locale, width, hint) => {
      const number = `+86139004${String(42000 + ++seq).padStart(5, '0')}`;
      const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'whatsapp',
        from: number,
        text: `WhatsApp hello ${seq}`,
      });
      expect(inbound.status).toBe(201);
      const conversationId = inbound.body.conversationId as string;

      const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
      const page = await context.newPage();
      await signIn(page, app.url, ADMIN.email, ADMIN.password);
      const row = page.locator(
        `[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`,
      );
      await row.waitFor({ timeout: 15_000 });
      const mark = row.locator('[data-channel="whatsapp"]').first();
      expect(await mark.innerText()).toBe('WA');
      expect(await mark.getAttribute('title')).toBe('WhatsApp');
      // The inbox filter offers WhatsApp and keeps the conversation.
      await page.getByTestId('filter-channel').selectOption('whatsapp');
      expect(await page.getByTestId('filter-channel').locator('option:checked').innerText()).toBe(
        'WhatsApp',
      );
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      await page.getByTestId('reply-box').waitFor();
      const select = page.getByTestId('reply-channel');
      expect(await select.inputValue()).toBe('whatsapp');
      expect(await select.locator('option:checked').innerText()).toBe('WhatsApp');
      expect(await page.getByTestId('reply-whatsapp-window').innerText()).toMatch(hint);

      await page.getByTestId('reply-text').fill(`On it ${seq}`);
      await page.getByTestId('reply-send').click();
      await eventually(async () => {
        const r = await app.api(
          'GET',
          `/api/v1/sandbox/outbox?channel=whatsapp&to=${encodeURIComponent(number)}`,
        );
        return (r.body.items as Array<{ text: string }>).some((i) => i.text === `On it ${seq}`);
      }, 'the reply on WhatsApp');
      expect(await fitsViewport(page)).toBe(true);
      await context.close();
    },
  );
});
