import type { Browser } from 'playwright-core';
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../support/fake-twilio';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

const ACCOUNT_SID = `AC${'3c4d5e6f'.repeat(4)}`;
const AUTH_TOKEN = 'fake-webcall-token-789';
const PUBLIC_URL = 'https://hub.example.test';
const FROM = '+15005550006';

/** A voice conversation in the web app: the reply channel the API takes, and a Call button. */
describe('Voice conversations in the web app', () => {
  let app: TestApp;
  let fake: FakeTwilio;
  let browser: Browser;
  let seq = 0;

  beforeAll(async () => {
    buildWebIfStale();
    const options: FakeTwilioOptions = {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      publicUrl: PUBLIC_URL,
    };
    fake = await startFakeTwilio(options);
    app = await startTestApp({
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: FROM,
      TWILIO_API_BASE_URL: fake.url,
      PUBLIC_URL,
    });
    options.hubUrl = app.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await fake?.stop();
  });

  it.each([
    ['zh-CN', 390, '短信', '拨打电话', '已发起呼叫', '去电'],
    ['en', 1280, 'SMS', 'Call', 'Call placed', 'Outgoing call'],
  ])(
    'proposes the channel the API replies on and places a call (%s, %i px)',
    async (locale, width, smsLabel, callLabel, placedLabel, outgoing) => {
      const number = `+86139003${String(41000 + ++seq).padStart(5, '0')}`;
      const r = await fake.postWebhook(`${PUBLIC_URL}/webhooks/twilio/voice`, {
        CallSid: `CA${String(7700 + seq).padStart(32, '0')}`,
        AccountSid: ACCOUNT_SID,
        From: number,
        To: FROM,
        CallStatus: 'ringing',
        Direction: 'inbound',
      });
      expect(r.status).toBe(200);
      const list = await eventually(async () => {
        const l = await app.api('GET', `/api/v1/conversations?q=${encodeURIComponent(number)}`);
        return (l.body.items as Array<{ id: string }>)[0];
      }, 'the voice conversation');
      const detail = await app.api('GET', `/api/v1/conversations/${list.id}`);
      expect(detail.body.replyChannel).toBe('sms');

      const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
      const page = await context.newPage();
      await signIn(page, app.url, ADMIN.email, ADMIN.password);
      const row = page.locator(
        `[data-testid="conversation-row"][data-conversation-id="${list.id}"]`,
      );
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      await page.getByTestId('reply-box').waitFor();
      const select = page.getByTestId('reply-channel');
      expect(await select.inputValue()).toBe(detail.body.replyChannel);
      expect(await select.locator('option:checked').innerText()).toBe(smsLabel);

      const call = page.getByTestId('reply-call');
      expect(await call.innerText()).toBe(callLabel);
      await call.click();
      await page.getByTestId('reply-call').filter({ hasText: placedLabel }).waitFor();
      const placed = await eventually(
        async () => fake.calls.find((c) => c.to === number),
        'the Calls request',
      );
      expect(placed.from).toBe(FROM);
      await page
        .locator('[data-kind="call"].outbound [data-testid="call"]')
        .filter({ hasText: outgoing })
        .first()
        .waitFor({ timeout: 10_000 });
      expect(await fitsViewport(page)).toBe(true);
      await context.close();
    },
  );
});
