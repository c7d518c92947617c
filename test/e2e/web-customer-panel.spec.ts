import type { Browser, Page } from 'playwright-core';
import { eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';
import { buildWebIfStale, launchChromium, signIn } from '../support/web';

/**
 * The panel (and a dialog over it) within the viewport, without a horizontal scroll of its own.
 * (Not fitsViewport: at 390 px the app header of a supervisor is wider than the page, which is
 * the header's to fix.)
 */
const panelFits = (page: Page) =>
  page.evaluate(`['[data-testid="customer-panel"]', '[data-testid="merge-dialog"]'].every((sel) => {
      const el = document.querySelector(sel);
      return !el || (el.getBoundingClientRect().right <= window.innerWidth + 1 &&
        el.scrollWidth <= el.clientWidth + 1);
    })`) as Promise<boolean>;

/** The customer panel: edit, other conversations, campaigns received, merge a duplicate. */
describe('The customer panel in the web app', () => {
  let app: TestApp;
  let browser: Browser;
  let supervisorEmail: string;

  beforeAll(async () => {
    buildWebIfStale();
    // A resolved conversation stays closed: the customer's next message opens another.
    app = await startTestApp({ CONVERSATION_REOPEN_HOURS: '0' });
    supervisorEmail = 'zhuguan@test.local';
    const r = await app.api('POST', '/api/v1/users', {
      email: supervisorEmail,
      name: '李主管',
      password: USER_PASSWORD,
      role: 'supervisor',
    });
    expect(r.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A customer with an earlier conversation, a campaign received, and a likely duplicate. */
  async function seed(n: number) {
    const phone = `+86138001${String(n).padStart(5, '0')}`;
    const email = `kehu${n}@example.cn`;
    const tag = `panel-${n}`;
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: '陈静',
      identities: [
        { channel: 'sms', address: phone },
        { channel: 'email', address: email },
      ],
      tags: [tag],
    });
    expect(c.status).toBe(201);
    const customerId = c.body.id as string;
    await app.api('POST', `/api/v1/customers/${customerId}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      source: 'signup form',
    });
    const campaign = await app.api('POST', '/api/v1/campaigns', {
      name: `春季促销 ${n}`,
      segment: { tags: [tag] },
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'welcome',
      data: { offer: { percent: 10, code: 'SPRING', until: '2030-01-01' } },
    });
    expect(campaign.status).toBe(201);
    expect((await app.api('POST', `/api/v1/campaigns/${campaign.body.id}/launch`)).status).toBe(
      202,
    );
    await eventually(
      async () =>
        (await app.api('GET', `/api/v1/campaigns/${campaign.body.id}`)).body.status === 'completed',
      'the campaign',
    );
    const inbound = async (text: string) => {
      const r = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'sms',
        from: phone,
        text,
      });
      expect(r.status).toBeLessThan(300);
      return r.body.conversation.id as string;
    };
    const earlier = await inbound('上次的发票收到了吗？');
    await app.api('POST', `/api/v1/conversations/${earlier}/status`, { status: 'resolved' });
    const current = await inbound('订单什么时候发货？');
    expect(current).not.toBe(earlier);
    // Same name, a number ending in the same four digits: suggested as a duplicate.
    const dupPhone = `+86139${String(n).padStart(8, '0')}`;
    expect(dupPhone.slice(-4)).toBe(phone.slice(-4));
    const dup = await app.api('POST', '/api/v1/customers', {
      displayName: '陈静',
      identities: [{ channel: 'sms', address: dupPhone }],
    });
    expect(dup.status).toBe(201);
    return {
      customerId,
      earlier,
      current,
      campaignId: campaign.body.id as string,
      duplicateId: dup.body.id as string,
      dupPhone,
    };
  }

  async function showPanel(page: Page, width: number) {
    if (width < 1100) await page.getByTestId('show-customer').click();
    await page.getByTestId('customer-panel').waitFor();
  }

  it.each([
    ['zh-CN', 390, 1, '其他会话', '陈静（VIP）'],
    ['en', 1280, 2, 'Other conversations', 'Chen Jing'],
  ])('in %s at %i px', async (locale, width, n, heading, newName) => {
    const s = await seed(n as number);
    const context = await browser.newContext({
      locale: locale as string,
      timezoneId: 'Asia/Shanghai',
      viewport: { width: width as number, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, app.url, supervisorEmail, USER_PASSWORD);
    const row = page.locator(
      `[data-testid="conversation-row"][data-conversation-id="${s.current}"]`,
    );
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await showPanel(page, width as number);
    await page.getByTestId('customer-duplicates').waitFor();
    expect(await panelFits(page)).toBe(true);

    // Merge the suggested duplicate, after confirming.
    const dup = page.locator(`[data-testid="customer-duplicate"][data-id="${s.duplicateId}"]`);
    await dup.waitFor();
    await dup.getByTestId('customer-merge').click();
    await page.getByTestId('merge-dialog').waitFor();
    expect(await panelFits(page)).toBe(true);
    await page.getByTestId('merge-confirm').click();
    await page.getByTestId('merge-dialog').waitFor({ state: 'detached' });
    await page
      .locator(`[data-testid="customer-identities"] li:has-text("${s.dupPhone}")`)
      .waitFor();
    const merged = (await app.api('GET', `/api/v1/customers/${s.customerId}`)).body;
    expect(merged.identities.map((i: { address: string }) => i.address)).toContain(s.dupPhone);
    expect((await app.api('GET', `/api/v1/customers/${s.duplicateId}`)).status).toBe(404);

    // Edit the name and the language.
    await page.getByTestId('customer-edit-open').click();
    await page.getByTestId('customer-edit-name').fill(newName as string);
    await page.getByTestId('customer-edit-locale').selectOption(locale === 'en' ? 'zh-CN' : 'en');
    await page.getByTestId('customer-edit-save').click();
    await page.getByTestId('customer-edit').waitFor({ state: 'detached' });
    expect(await page.getByTestId('customer-name').textContent()).toBe(newName);
    const saved = (await app.api('GET', `/api/v1/customers/${s.customerId}`)).body;
    expect([saved.displayName, saved.locale]).toEqual([newName, locale === 'en' ? 'zh-CN' : 'en']);

    // An empty name is refused with the API's message, shown in the form.
    await page.getByTestId('customer-edit-open').click();
    await page.getByTestId('customer-edit-name').fill('');
    await page.getByTestId('customer-edit-save').click();
    await page.getByTestId('customer-edit-error').waitFor();
    expect(await page.getByTestId('customer-edit-error').textContent()).toMatch(/displayName/);
    await page.getByTestId('customer-edit-name').fill(newName as string);
    await page.getByTestId('customer-edit-save').click();
    await page.getByTestId('customer-edit').waitFor({ state: 'detached' });

    // The campaign received.
    const campaign = page.locator(`[data-testid="customer-campaign"][data-id="${s.campaignId}"]`);
    await campaign.waitFor();
    expect(await campaign.textContent()).toContain(`春季促销 ${n}`);

    // The other conversation, opened from the panel.
    const section = page.getByTestId('customer-conversations');
    expect(await section.locator('h4').textContent()).toBe(heading);
    const other = page.locator(`[data-testid="customer-conversation"][data-id="${s.earlier}"]`);
    await other.waitFor();
    // Its status, and its last message: the rating question sent when it was resolved.
    expect(await other.textContent()).toContain(locale === 'en' ? 'Resolved' : '已解决');
    expect(await other.textContent()).toContain('1-5');
    await other.click();
    await page.waitForFunction(`location.hash === '#/c/${s.earlier}'`);
    expect(await panelFits(page)).toBe(true);
    await context.close();
  });

  it('shows an agent the suggestions without a Merge button', async () => {
    const s = await seed(3);
    const agent = await app.api('POST', '/api/v1/users', {
      email: 'zuoxi@test.local',
      name: '张坐席',
      password: USER_PASSWORD,
      role: 'agent',
    });
    expect(agent.status).toBe(201);
    await app.api('POST', `/api/v1/conversations/${s.current}/assign`, {
      assigneeId: agent.body.id,
    });
    const context = await browser.newContext({
      locale: 'en',
      viewport: { width: 1280, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, app.url, 'zuoxi@test.local', USER_PASSWORD);
    const row = page.locator(
      `[data-testid="conversation-row"][data-conversation-id="${s.current}"]`,
    );
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const dup = page.locator(`[data-testid="customer-duplicate"][data-id="${s.duplicateId}"]`);
    await dup.waitFor();
    expect(await dup.getByTestId('customer-merge').count()).toBe(0);
    expect(await dup.textContent()).toContain('A supervisor can merge');
    await context.close();
  });
});
