import type { Browser, Page } from 'playwright-core';
import { buildWebIfStale, fitsViewport, launchChromium } from '../support/web';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

/**
 * A marketer builds a campaign in the browser (segment with a live count, template with its
 * preview, topic, purpose, send rate), sees a server error next to the field it names, creates
 * the draft, runs the dry run (numbers per channel and per suppression reason, a sample with
 * reasons), launches it after a confirmation with the dry run's totals and sees its progress.
 * In Chinese at phone width and in English at desktop width.
 */
describe('The campaign builder and its dry run', () => {
  let app: TestApp;
  let browser: Browser;
  let marketerEmail: string;
  let marketer: string;

  /** A fixed-offset zone where it is about 2 a.m. now (Etc/GMT-8 is UTC+8). */
  function nightZone(now = new Date()): string {
    let x = (((2 - now.getUTCHours()) % 24) + 24) % 24;
    if (x > 14) x -= 24;
    return x === 0 ? 'Etc/GMT' : x > 0 ? `Etc/GMT-${x}` : `Etc/GMT+${-x}`;
  }

  async function customer(
    tag: string,
    name: string,
    identity: { channel: 'email' | 'sms'; address: string } | null,
    options: { consent?: 'granted' | 'revoked'; night?: boolean } = {},
  ): Promise<void> {
    const r = await app.api('POST', '/api/v1/customers', {
      displayName: name,
      identities: identity ? [identity] : [],
      tags: [tag],
      ...(options.night ? { timezone: nightZone() } : {}),
    });
    expect(r.status).toBe(201);
    const channel = identity?.channel ?? 'email';
    const consent = await app.api('POST', `/api/v1/customers/${r.body.id}/consents`, {
      channel,
      purpose: 'marketing',
      status: options.consent ?? 'granted',
      source: 'signup form',
    });
    expect(consent.status).toBe(201);
    const prefs = await app.api('PUT', `/api/v1/customers/${r.body.id}/preferences`, {
      matrix: [{ topic: 'sale', urgency: '*', channels: [channel] }],
      ...(options.night ? { quietHours: { start: '22:00', end: '07:00' } } : {}),
    });
    expect(prefs.status).toBe(200);
  }

  /** Six customers: two reachable now (email, SMS), one at night, three suppressed. */
  async function audience(tag: string, n: number): Promise<void> {
    await customer(tag, `Ann ${tag}`, { channel: 'email', address: `ann.${tag}@example.com` });
    await customer(tag, `Bob ${tag}`, { channel: 'sms', address: `+86139000044${n}1` });
    await customer(
      tag,
      `Rev ${tag}`,
      { channel: 'email', address: `rev.${tag}@example.com` },
      { consent: 'revoked' },
    );
    await customer(
      tag,
      `Owl ${tag}`,
      { channel: 'email', address: `owl.${tag}@example.com` },
      { night: true },
    );
    await customer(tag, `Nob ${tag}`, null);
    const sup = `+86139000044${n}2`;
    await customer(tag, `Sup ${tag}`, { channel: 'sms', address: sup });
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: sup,
      text: 'Where is my parcel?',
    });
    expect(inbound.status).toBeLessThan(300);
  }

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    marketerEmail = `builder-${Date.now()}@test.local`;
    const created = await app.api('POST', '/api/v1/users', {
      email: marketerEmail,
      name: '王芳',
      password: USER_PASSWORD,
      role: 'marketer',
    });
    expect(created.status).toBe(201);
    marketer = await app.login(marketerEmail, USER_PASSWORD);
    for (const [channel, body] of [
      ['email', '<p>Hi {{customer.name}}, our winter sale starts now.</p>'],
      ['sms', 'Winter sale starts now. Reply STOP to opt out'],
    ] as const) {
      const t = await app.api(
        'POST',
        '/api/v1/templates',
        { key: 'builder-sale', channel, locale: 'en', subject: 'Winter sale', body },
        marketer,
      );
      expect(t.status).toBe(201);
    }
    await audience('build-zh', 1);
    await audience('build-en', 2);
    const saved = await app.api(
      'POST',
      '/api/v1/segments',
      { name: 'Winter buyers EN', definition: { tags: ['build-en'] } },
      marketer,
    );
    expect(saved.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(locale: string, width: number): Promise<Page> {
    // The marketer's own time zone, which the schedule is set and shown in.
    const timezoneId = locale === 'zh-CN' ? 'Asia/Shanghai' : 'Europe/Berlin';
    const context = await browser.newContext({
      locale,
      timezoneId,
      viewport: { width, height: 844 },
    });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('login-email').fill(marketerEmail);
    await page.getByTestId('login-password').fill(USER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('campaigns-page').waitFor();
    return page;
  }

  it.each([
    ['zh-CN', 390, 'build-zh', '未获同意', /免打扰/, '向 6 位客户启动', '发送中'],
    ['en', 1280, 'build-en', 'No consent', /quiet hours/, 'Launch to 6 customers', 'Sending'],
  ])(
    'builds, dry-runs and launches a campaign (%s, %i px)',
    async (locale, width, tag, noConsent, quiet, confirmText, running) => {
      const page = await signIn(locale, width);
      await page.getByTestId('campaign-new').click();
      await page.getByTestId('campaign-builder').waitFor();
      expect(page.url()).toContain('#/campaigns/new');
      await page.getByTestId('builder-name').fill(`Winter ${locale}`);

      // The live count follows the segment as it is set.
      const counted = page.getByTestId('segment-count').locator('strong');
      if (tag === 'build-zh') {
        await page.getByTestId('segment-tags').fill(tag);
      } else {
        await page.getByTestId('segment-mode-saved').check();
        await page.getByTestId('segment-saved').selectOption({ label: 'Winter buyers EN' });
      }
      await eventually(
        async () => (await counted.getAttribute('data-count').catch(() => null)) === '6',
        'the live count of the segment',
      );
      if (tag === 'build-zh') {
        await page.getByTestId('segment-churn').check();
        await eventually(
          async () => (await counted.getAttribute('data-count').catch(() => null)) === '0',
          'the count with the churn filter',
        );
        await page.getByTestId('segment-churn').uncheck();
        await eventually(
          async () => (await counted.getAttribute('data-count').catch(() => null)) === '6',
          'the count back',
        );
      }

      await page.getByTestId('builder-template').selectOption('builder-sale');
      await page.getByTestId('template-preview').waitFor();
      expect(await page.getByTestId('template-preview').textContent()).toContain('winter sale');
      expect(await page.getByTestId('campaign-builder').textContent()).toContain(
        locale === 'zh-CN' ? 'Asia/Shanghai' : 'Europe/Berlin',
      );
      await page.getByTestId('builder-topic').fill('sale');
      await page.getByTestId('builder-rate').fill('50');

      // A marketer sends for marketing only: the server says so next to the purpose.
      await page.getByTestId('builder-purpose').selectOption('transactional');
      await page.getByTestId('builder-create').click();
      await page.getByTestId('error-purpose').waitFor();
      expect(await page.getByTestId('error-purpose').textContent()).toMatch(/^purpose:/);
      expect(page.url()).toContain('#/campaigns/new');
      await page.getByTestId('builder-purpose').selectOption('marketing');
      await page.getByTestId('builder-create').click();

      await page.getByTestId('dry-run').waitFor();
      expect(page.url()).toMatch(/#\/campaigns\/[0-9a-f-]{36}$/);
      const id = page.url().split('/').pop() as string;
      const stored = (await app.api('GET', `/api/v1/campaigns/${id}`, undefined, marketer)).body;
      expect(stored).toMatchObject({
        status: 'draft',
        template: 'builder-sale',
        topic: 'sale',
        purpose: 'marketing',
        ratePerSecond: 50,
        segment: { tags: [tag] },
      });
      expect(await page.getByTestId('campaign-launch').isDisabled()).toBe(true);

      await page.getByTestId('dry-run-start').click();
      await page.getByTestId('dry-run-result').waitFor();
      const value = async (testId: string) => page.getByTestId(testId).getAttribute('data-value');
      expect(await value('dry-run-now')).toBe('2');
      expect(await value('dry-run-held')).toBe('1');
      expect(await value('dry-run-digest')).toBe('0');
      expect(await value('dry-run-reason-noConsent')).toBe('1');
      expect(await value('dry-run-reason-noChannel')).toBe('1');
      expect(await value('dry-run-reason-contactBudget')).toBe('1');
      expect(await page.getByTestId('dry-run-reason-noConsent').textContent()).toContain(noConsent);
      expect(await page.getByTestId('dry-run-held-span').textContent()).toMatch(/\d/);
      await page.getByTestId('dry-run-chart').locator('svg').waitFor();
      const rows = page.getByTestId('dry-run-sample-row');
      expect(await rows.count()).toBe(6);
      expect(await page.locator('[data-outcome="held"]').textContent()).toMatch(quiet);
      // Nothing sent by the dry run.
      const after = (await app.api('GET', `/api/v1/campaigns/${id}`, undefined, marketer)).body;
      expect(after.status).toBe('draft');
      expect(after.progress.recipients).toBe(0);
      expect(await fitsViewport(page)).toBe(true);

      await page.getByTestId('campaign-launch').click();
      const confirm = page.getByTestId('launch-confirm');
      await confirm.waitFor();
      expect(await confirm.textContent()).toContain(confirmText);
      await page.getByTestId('launch-confirm-yes').click();

      const status = page.getByTestId('campaign-status');
      await eventually(async () => (await status.textContent()) === running, 'running', 20_000);
      // Progress: everyone handled (sent, held or suppressed), as the dry run said.
      await eventually(
        async () => /6\D+6/.test((await page.getByTestId('campaign-progress').textContent()) ?? ''),
        'the progress',
        20_000,
      );
      expect(await page.getByTestId('dry-run').count()).toBe(0);
      const stats = (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer))
        .body;
      expect(stats.scheduled).toBe(1);
      expect(stats.suppressed).toMatchObject({ noConsent: 1, noChannel: 1, contactBudget: 1 });
      expect(await fitsViewport(page)).toBe(true);
      await page.context().close();
    },
  );
});
