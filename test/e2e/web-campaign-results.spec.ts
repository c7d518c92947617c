import type { Browser, Page } from 'playwright-core';
import { buildWebIfStale, fitsViewport, launchChromium } from '../support/web';
import { pickVariant } from '../../src/campaigns/variant-pick';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';

/**
 * A marketer opens a campaign from the list and reads its numbers: totals, the held (scheduled)
 * send with its time, replies per channel, the A/B verdict on the chosen metric; and controls a
 * scheduled one (pause, resume, cancel). In both languages, at phone and desktop width.
 */
const SPLIT = [
  { template: 'results-sale', weight: 1 },
  { template: 'results-sale', weight: 1 },
];

describe("A campaign's results page", () => {
  let app: TestApp;
  let browser: Browser;
  let marketerEmail: string;
  let marketer: string;
  let sentId: string;

  /**
   * A customer in the campaigns' segment; with `variant`, one the A/B split (stable per campaign
   * and customer) gives that variant of `split`: others are made and left out of the segment
   * until one does, so both variants get a send whatever ids the run draws.
   */
  async function customer(
    name: string,
    email: string,
    opts: { quietAllDay?: boolean; variant?: number; split?: string } = {},
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const address = attempt === 0 ? email : email.replace('@', `+${attempt}@`);
      const r = await app.api('POST', '/api/v1/customers', {
        displayName: name,
        identities: [{ channel: 'email', address }],
      });
      expect(r.status).toBe(201);
      if (
        opts.variant !== undefined &&
        pickVariant(SPLIT, opts.split!, r.body.id as string).index !== opts.variant
      )
        continue;
      expect(
        (await app.api('PATCH', `/api/v1/customers/${r.body.id}`, { tags: ['results'] })).status,
      ).toBe(200);
      const consent = await app.api('POST', `/api/v1/customers/${r.body.id}/consents`, {
        channel: 'email',
        purpose: 'marketing',
        status: 'granted',
        source: 'signup form',
      });
      expect(consent.status).toBe(201);
      const prefs = await app.api('PUT', `/api/v1/customers/${r.body.id}/preferences`, {
        matrix: [{ topic: 'sale', urgency: '*', channels: ['email'] }],
        ...(opts.quietAllDay ? { quietHours: { start: '00:00', end: '23:59' } } : {}),
      });
      expect(prefs.status).toBe(200);
      return address;
    }
  }

  async function campaign(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const c = await app.api(
      'POST',
      '/api/v1/campaigns',
      {
        name,
        segment: { tags: ['results'] },
        topic: 'sale',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'results-sale',
        ...extra,
      },
      marketer,
    );
    expect(c.status).toBe(201);
    return c.body.id as string;
  }

  const stats = async (id: string) =>
    (await app.api('GET', `/api/v1/campaigns/${id}/stats`, undefined, marketer)).body;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    marketerEmail = `results-${Date.now()}@test.local`;
    const created = await app.api('POST', '/api/v1/users', {
      email: marketerEmail,
      name: '李娜',
      password: USER_PASSWORD,
      role: 'marketer',
    });
    expect(created.status).toBe(201);
    marketer = await app.login(marketerEmail, USER_PASSWORD);
    const template = await app.api(
      'POST',
      '/api/v1/templates',
      {
        key: 'results-sale',
        channel: 'email',
        locale: 'en',
        subject: 'Sale',
        body: '<p>Hi {{customer.name}}, our sale starts now.</p>',
      },
      marketer,
    );
    expect(template.status).toBe(201);
    sentId = await campaign('双十二大促', { variants: SPLIT });
    // Ann gets variant A and Bob B (both variants have a send to compare); Cai and Eve either.
    const ann = await customer('Ann', 'ann.results@example.com', { variant: 0, split: sentId });
    await customer('Bob', 'bob.results@example.com', { variant: 1, split: sentId });
    await customer('Cai', 'cai.results@example.com');
    await customer('Eve', 'eve.results@example.com', { quietAllDay: true });
    const launched = await app.api(
      'POST',
      `/api/v1/campaigns/${sentId}/launch`,
      undefined,
      marketer,
    );
    expect(launched.status).toBe(202);
    // Three delivered by the sandbox; Eve's held by her quiet hours.
    await eventually(
      async () => {
        const s = await stats(sentId);
        return s.delivered === 3 && s.scheduled === 1;
      },
      'the deliveries',
      30_000,
    );
    const reply = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'email',
      from: ann,
      text: '上海能送货吗？',
    });
    expect(reply.status).toBeLessThan(300);
    await eventually(async () => (await stats(sentId)).replied === 1, 'the reply counted');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(locale: string, width: number): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('login-email').fill(marketerEmail);
    await page.getByTestId('login-password').fill(USER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('campaigns-page').waitFor();
    return page;
  }

  it.each([
    ['zh-CN', 390, '待发送', '已回复', '回复'],
    ['en', 1280, 'Scheduled', 'Replied', 'replies'],
  ])(
    'shows totals, the held send, replies by channel and the A/B verdict (%s, %i px)',
    async (locale, width, scheduledLabel, repliedLabel, replyMetric) => {
      const page = await signIn(locale, width);
      await page
        .getByTestId('campaign-card')
        .filter({ hasText: '双十二大促' })
        .getByTestId('campaign-link')
        .click();
      await page.getByTestId('campaign-results').waitFor();
      expect(page.url()).toContain(`#/campaigns/${sentId}`);
      expect(await page.getByTestId('campaign-name').textContent()).toBe('双十二大促');
      const tile = (id: string) => page.getByTestId(id).locator('.stat-value');
      await eventually(
        async () => (await tile('total-sent').textContent()) === '3',
        'the sent total',
        20_000,
      );
      expect(await tile('total-recipients').textContent()).toBe('4');
      expect(await tile('total-scheduled').textContent()).toBe('1');
      expect(await tile('total-delivered').textContent()).toBe('3');
      expect(await tile('total-replied').textContent()).toBe('1');
      expect(await page.getByTestId('total-scheduled').textContent()).toContain(scheduledLabel);
      expect(await page.getByTestId('total-replied').textContent()).toContain(repliedLabel);
      // The held send says until when.
      expect(await page.getByTestId('scheduled-span').textContent()).toMatch(/\d/);
      const email = page.getByTestId('campaign-channel-row').filter({ has: page.locator('th') });
      expect(await email.count()).toBe(1);
      expect(await email.getByTestId('cell-sent').textContent()).toBe('3');
      expect(await email.getByTestId('cell-scheduled').textContent()).toBe('1');
      expect(await email.getByTestId('cell-replied').textContent()).toBe('1');
      await page.getByTestId('campaign-rates-chart').locator('svg').waitFor();
      // A/B: two variants; switching the metric to replies asks the server again.
      const ab = page.getByTestId('campaign-ab');
      expect(await ab.getByTestId('ab-variant').count()).toBe(2);
      const asked = page.waitForResponse((r) => r.url().includes('metric=reply'));
      await ab.getByTestId('ab-metric').selectOption({ label: replyMetric });
      expect((await asked).status()).toBe(200);
      await eventually(
        async () => /p = /.test((await ab.getByTestId('ab-verdict').textContent()) ?? ''),
        'the verdict with its p-value',
        20_000,
      );
      expect(await fitsViewport(page)).toBe(true);
      await page.context().close();
    },
  );

  it.each([
    ['zh-CN', 390, '已暂停', '已取消'],
    ['en', 1280, 'Paused', 'Cancelled'],
  ])(
    'pauses a scheduled campaign, offers to resume it, and cancels it after a confirmation (%s, %i px)',
    async (locale, width, paused, cancelled) => {
      const id = await campaign(`Later ${locale}`, {
        sendAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      const launched = await app.api('POST', `/api/v1/campaigns/${id}/launch`, undefined, marketer);
      expect(launched.status).toBe(202);
      const page = await signIn(locale, width);
      await page.goto(`${app.url}/#/campaigns/${id}`);
      const status = page.getByTestId('campaign-status');
      await page.getByTestId('campaign-pause').click();
      await eventually(async () => (await status.textContent()) === paused, 'paused');
      // Resuming a paused campaign would send it now; the control is offered, then cancel.
      await page.getByTestId('campaign-resume').waitFor();
      let asked = '';
      page.once('dialog', (d) => {
        asked = d.message();
        void d.accept();
      });
      await page.getByTestId('campaign-cancel').click();
      await eventually(async () => (await status.textContent()) === cancelled, 'cancelled');
      expect(asked).toMatch(locale === 'en' ? /^Cancel this campaign\?/ : /^确定取消此活动/);
      expect(await page.getByTestId('campaign-pause').count()).toBe(0);
      expect(await page.getByTestId('campaign-resume').count()).toBe(0);
      expect(
        (await app.api('GET', `/api/v1/campaigns/${id}`, undefined, marketer)).body.status,
      ).toBe('cancelled');
      expect(await fitsViewport(page)).toBe(true);
      await page.context().close();
    },
  );

  it('says so for a campaign that does not exist', async () => {
    const page = await signIn('zh-CN', 390);
    await page.goto(`${app.url}/#/campaigns/00000000-0000-4000-8000-000000000000`);
    await page.getByTestId('campaign-error').waitFor();
    expect(await page.getByTestId('campaign-error').textContent()).toBe(
      '此营销活动不存在，或您无权查看。',
    );
    await page.context().close();
  });
});
