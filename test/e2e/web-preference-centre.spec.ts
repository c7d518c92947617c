import { chromium, type Browser, type Page } from 'playwright-core';
import { TrackingService } from '../../src/tracking/tracking.service';
import { startTestApp, type TestApp } from '../support/test-app';

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
const PHONE = { width: 390, height: 844 };

let app: TestApp;
let browser: Browser;
let made = 0;

/** Links are minted with PUBLIC_URL (http://localhost:0 under test); point them at the test server. */
const local = (url: string) => url.replace(/^http:\/\/localhost:\d+/, app.url);

async function customer(locale: string): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: '王芳 Fang',
    locale,
    timezone: 'Asia/Shanghai',
    identities: [
      { channel: 'email', address: `fang.${locale}@example.com` },
      { channel: 'sms', address: `+86139123400${String(++made).padStart(2, '0')}` },
    ],
  });
  expect(r.status).toBe(201);
  const granted = await app.api('POST', `/api/v1/customers/${r.body.id}/consents`, {
    channel: 'sms',
    purpose: 'marketing',
    status: 'granted',
    source: 'signup form',
  });
  expect(granted.status).toBe(201);
  return r.body.id as string;
}

/** A phone-sized page that records CSP violations and page errors. */
async function phonePage(colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ viewport: PHONE, colorScheme, isMobile: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

async function noHorizontalScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => {
    const root = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      }
    ).document.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
  expect(client).toBeLessThanOrEqual(PHONE.width);
  expect(scroll).toBeLessThanOrEqual(client);
}

async function ledger(customerId: string) {
  return (await app.api('GET', `/api/v1/customers/${customerId}/consents`)).body.items as Array<{
    channel: string;
    purpose: string;
    status: string;
    source: string;
  }>;
}

beforeAll(async () => {
  app = await startTestApp();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('The preference centre in a phone browser', () => {
  it('changes quiet hours and a consent through its forms, in Chinese then English', async () => {
    const id = await customer('zh-CN');
    const link = await app.api('POST', `/api/v1/customers/${id}/preference-link`);
    const { page, problems } = await phonePage();
    await page.goto(local(link.body.url as string));
    await page.getByRole('heading', { name: '联系方式偏好' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await noHorizontalScroll(page);

    await page.locator('#quiet-start').fill('21:00');
    await page.locator('#quiet-end').fill('07:30');
    await page.locator('#quiet-off').uncheck();
    await page.locator('#quiet-tz').selectOption('Asia/Tokyo');
    await page.getByRole('button', { name: '保存免打扰时段' }).click();
    await page.getByTestId('flash').getByText('免打扰时段和时区已保存。').waitFor();
    await page
      .getByTestId('quiet-now')
      .getByText('免打扰：21:00 至 07:30（Asia/Tokyo）。')
      .waitFor();
    const saved = (await app.api('GET', `/api/v1/customers/${id}`)).body;
    expect(saved.preferences.quietHours).toEqual({ start: '21:00', end: '07:30' });
    expect(saved.timezone).toBe('Asia/Tokyo');

    await page.getByTestId('consent-sms-marketing').click();
    await page.getByTestId('flash').getByText('已保存：停止通过短信接收优惠和资讯。').waitFor();
    await page.getByTestId('consent-state-sms-marketing').getByText('已停止').waitFor();
    expect((await ledger(id))[0]).toMatchObject({
      channel: 'sms',
      purpose: 'marketing',
      status: 'revoked',
      source: 'preference-centre',
    });
    await noHorizontalScroll(page);

    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'How we reach you' }).waitFor();
    await noHorizontalScroll(page);
    await page.getByTestId('consent-sms-marketing').getByText('Subscribe again').click();
    await page.getByTestId('flash').getByText('Saved: Offers and news by SMS allowed.').waitFor();
    await page.getByTestId('consent-state-sms-marketing').getByText('Allowed').waitFor();
    expect((await ledger(id))[0]).toMatchObject({ channel: 'sms', status: 'granted' });
    // The language stays with the visitor across posts.
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('has a dark look when the phone asks for it, and still fits the screen', async () => {
    const id = await customer('en');
    const link = await app.api('POST', `/api/v1/customers/${id}/preference-link`);
    const { page, problems } = await phonePage('dark');
    await page.goto(local(link.body.url as string));
    await page.getByRole('heading', { name: 'How we reach you' }).waitFor();
    const background = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            getComputedStyle(e: unknown): { backgroundColor: string };
            document: { body: unknown };
          }
        ).getComputedStyle((globalThis as unknown as { document: { body: unknown } }).document.body)
          .backgroundColor,
    );
    expect(background).toBe('rgb(18, 19, 22)');
    await noHorizontalScroll(page);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows the unsubscribe page in both languages, linking to the preference centre', async () => {
    const id = await customer('zh');
    const signer = app.hub.app.get(TrackingService).signer;
    const token = signer.sign('u', ['00000000-0000-4000-8000-00000000000a', id, 'sms']);
    const { page, problems } = await phonePage();
    await page.goto(`${app.url}/u/${token}`);
    await page.getByText('停止通过短信接收优惠和资讯？').waitFor();
    await noHorizontalScroll(page);
    const toCentre = page.getByTestId('preferences-link');
    expect(await toCentre.textContent()).toBe('更细致地选择我们联系您的方式');
    await page.goto(local((await toCentre.getAttribute('href'))!));
    await page.getByRole('heading', { name: '联系方式偏好' }).waitFor();

    await page.goto(`${app.url}/u/${token}?lang=en`);
    await page.getByText('Stop offers and news by SMS?').waitFor();
    await noHorizontalScroll(page);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByText('You are unsubscribed.').waitFor();
    await page.getByText('We will not send you offers and news by SMS any more.').waitFor();
    await noHorizontalScroll(page);
    expect((await ledger(id))[0]).toMatchObject({
      channel: 'sms',
      purpose: 'marketing',
      status: 'revoked',
      source: 'unsubscribe-link',
    });
    await page.goto(local((await page.getByTestId('back').getAttribute('href'))!));
    await page.getByRole('heading', { name: '联系方式偏好' }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
