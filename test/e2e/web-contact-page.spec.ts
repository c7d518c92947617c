import type { Browser, Page } from 'playwright-core';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** Rows in the imported file: enough for the import to take several progress reads. */
const GOOD_ROWS = 120;

/** The customer page (#/contacts/<id>) and the CSV import (#/contacts/import), as a marketer. */
describe('The customer page and the CSV import in the web app', () => {
  let app: TestApp;
  let browser: Browser;
  const marketerEmail = 'yingxiao@test.local';

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    const r = await app.api('POST', '/api/v1/users', {
      email: marketerEmail,
      name: '王营销',
      password: USER_PASSWORD,
      role: 'marketer',
    });
    expect(r.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A customer with preferences, consent with evidence, a campaign received, a reply, a purchase. */
  async function seed(n: number) {
    const phone = `+86137002${String(n).padStart(5, '0')}`;
    const email = `guke${n}@example.cn`;
    const tag = `page-${n}`;
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: '刘洋',
      identities: [
        { channel: 'sms', address: phone },
        { channel: 'email', address: email },
      ],
      tags: [tag],
      attributes: { city: '杭州' },
    });
    expect(c.status).toBe(201);
    const id = c.body.id as string;
    const ok = async (method: string, path: string, body: unknown) => {
      const r = await app.api(method, path, body);
      expect([path, r.status]).toEqual([path, r.status < 300 ? r.status : 'failed']);
      return r.body;
    };
    await ok('PUT', `/api/v1/customers/${id}/preferences`, {
      matrix: [{ topic: 'orders', urgency: 'high', channels: ['sms', 'email'] }],
      quietHours: { start: '22:00', end: '08:00' },
    });
    await ok('POST', `/api/v1/customers/${id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      source: 'signup form',
      evidence: { form: `spring-signup-${n}`, ip: '203.0.113.7' },
    });
    const campaign = await ok('POST', '/api/v1/campaigns', {
      name: `会员日 ${n}`,
      segment: { tags: [tag] },
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'welcome',
      data: { offer: { percent: 10, code: 'SPRING', until: '2030-01-01' } },
    });
    await ok('POST', `/api/v1/campaigns/${campaign.id}/launch`, {});
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${campaign.id}`)).body.status === 'completed',
      'the campaign',
    );
    await ok('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: phone,
      text: '收到，谢谢',
    });
    await ok('POST', '/api/v1/conversions', {
      customerId: id,
      orderId: `ORD-${n}`,
      amount: 388,
      currency: 'CNY',
    });
    await ok('POST', '/api/v1/analytics/rfm/recompute', {});
    const rfm = await app.api('GET', `/api/v1/analytics/customers/${id}`);
    expect(rfm.status).toBe(200);
    return { id, email, campaignId: campaign.id as string, tier: rfm.body.tier as string };
  }

  /** A CSV: good rows, a row without an address, a bad time zone, a known address. */
  function csvFile(n: number, knownEmail: string): string {
    const rows = ['name,email,phone,timezone,marketing_email'];
    for (let i = 0; i < GOOD_ROWS; i++)
      rows.push(`导入客户${n}-${i},imp${n}-${i}@example.cn,,Asia/Shanghai,yes`);
    rows.push(`没有地址${n},,,,`); // line GOOD_ROWS + 2
    rows.push(`Bad Zone ${n},zone${n}@example.cn,,Mars/Base,`); // GOOD_ROWS + 3
    rows.push(`Known ${n},${knownEmail},,,`); // GOOD_ROWS + 4
    return rows.join('\n') + '\n';
  }

  /** Records, from the page itself, every value the import's bars show. */
  async function watchBars(page: Page) {
    await page.evaluate(`(() => {
      window.__bars = { upload: [], rows: [] };
      const read = () => {
        const up = document.querySelector('[data-testid="import-upload-bar"]');
        if (up) window.__bars.upload.push(Number(up.value) / Number(up.max));
        const rows = document.querySelector('[data-testid="import-progress"]');
        if (rows) window.__bars.rows.push([Number(rows.value), Number(rows.max)]);
      };
      new MutationObserver(read).observe(document.body, {
        subtree: true, childList: true, attributes: true,
      });
    })()`);
  }

  it.each([
    ['zh-CN', 390, 1, '授权记录', '关于「orders」，紧急程度为高时：短信，其次邮件'],
    ['en', 1280, 2, 'Consent ledger', 'About “orders”, when high: SMS, then Email'],
  ])('in %s at %i px', async (locale, width, n, ledgerTitle, preference) => {
    const s = await seed(n as number);
    const context = await browser.newContext({
      locale: locale as string,
      timezoneId: 'Asia/Shanghai',
      viewport: { width: width as number, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, app.url, marketerEmail, USER_PASSWORD);
    await page.getByTestId('current-user').filter({ hasText: '王营销' }).waitFor();
    await page.goto(`${app.url}/#/contacts/${s.id}`);

    await page.getByTestId('contact-name').filter({ hasText: '刘洋' }).waitFor();
    // Identities: the phone wrote to us (verified), the e-mail did not.
    await page
      .locator('[data-testid="contact-identity"][data-kind="phone"] [data-verified="inbound"]')
      .waitFor();
    expect(
      await page
        .locator(
          '[data-testid="contact-identity"][data-kind="email"] [data-testid="identity-verified"]',
        )
        .getAttribute('data-verified'),
    ).toBe('no');
    // Preferences in plain words, quiet hours.
    expect(await page.getByTestId('contact-preference').innerText()).toBe(preference);
    expect(await page.getByTestId('contact-quiet-hours').innerText()).toContain('22:00');
    // The consent ledger with its evidence.
    await page.getByRole('heading', { name: ledgerTitle as string }).waitFor();
    const entry = page.locator(
      '[data-testid="consent-entry"][data-channel="email"][data-status="granted"]',
    );
    await entry.waitFor();
    const evidence = await entry.getByTestId('consent-evidence').innerText();
    expect(evidence).toContain(`spring-signup-${n}`);
    expect(evidence).toContain('203.0.113.7');
    expect(await entry.innerText()).toContain('signup form');
    // Messages: the reply counted on SMS, the campaign's e-mail among the latest.
    const sms = page.locator('[data-testid="activity-channel"][data-channel="sms"]');
    await sms.waitFor();
    expect(await sms.innerText()).toMatch(/1/);
    await page
      .locator('[data-testid="activity-message"][data-direction="outbound"]')
      .first()
      .waitFor();
    // The campaign received.
    await page
      .locator(`[data-testid="customer-campaign"][data-id="${s.campaignId}"]`)
      .filter({ hasText: `会员日 ${n}` })
      .waitFor();
    // RFM: the tier the API computed.
    await page.locator(`[data-testid="contact-rfm-scores"][data-tier="${s.tier}"]`).waitFor();
    expect(await page.getByTestId('contact-rfm').innerText()).toContain('388');
    expect(await fitsViewport(page)).toBe(true);

    // The import, reached from the customer page's header.
    await page.getByTestId('contact-import-link').click();
    await page.getByTestId('contact-import').waitFor();
    await watchBars(page);
    await page.getByTestId('import-file').setInputFiles({
      name: `kehu-${n}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(csvFile(n as number, s.email)),
    });
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="import-result"][data-status="completed"]').waitFor({
      timeout: 60_000,
    });
    const total = GOOD_ROWS + 3;
    const bars = (await page.evaluate('window.__bars')) as {
      upload: number[];
      rows: Array<[number, number]>;
    };
    // The upload bar reached its end; the rows bar moved through the file to its end.
    expect(Math.max(...bars.upload)).toBe(1);
    expect(bars.rows.every(([, max]) => max === total)).toBe(true);
    expect(bars.rows[bars.rows.length - 1]).toEqual([total, total]);
    // Counted as the server went: at least one read between the start and the end.
    expect(bars.rows.some(([v]) => v > 0 && v < total)).toBe(true);
    expect(await page.getByTestId('import-progress-text').innerText()).toContain(`${total}`);
    expect(await page.getByTestId('import-created').innerText()).toContain(`${GOOD_ROWS}`);
    expect(await page.getByTestId('import-duplicates').innerText()).toContain('1');
    expect(await page.getByTestId('import-rejected').innerText()).toContain('2');
    // The rows not imported, each with its reasons.
    const row = (line: number) =>
      page.locator(`[data-testid="import-rejected-row"][data-line="${line}"]`);
    expect(await row(GOOD_ROWS + 2).innerText()).toContain(
      'email/phone/wechat: at least one is required',
    );
    expect(await row(GOOD_ROWS + 3).innerText()).toContain('"Mars/Base" is not an IANA timezone');
    expect(await row(GOOD_ROWS + 4).innerText()).toContain(`already belongs to customer ${s.id}`);
    expect(await row(GOOD_ROWS + 4).getAttribute('data-duplicate')).toBe('true');
    expect(
      await row(GOOD_ROWS + 4)
        .locator('a')
        .getAttribute('href'),
    ).toBe(`#/contacts/${s.id}`);
    expect(await fitsViewport(page)).toBe(true);
    await context.close();
  });
});
