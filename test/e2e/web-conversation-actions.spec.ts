import type { Browser, Page } from 'playwright-core';
import { ADMIN, eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** Every conversation action from the conversation's toolbar, checked through the API. */
describe('Conversation actions in the web app', () => {
  let app: TestApp;
  let browser: Browser;
  let wangId: string;
  let teamId: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    const wang = await app.api('POST', '/api/v1/users', {
      email: 'wangfang@test.local',
      name: '王芳',
      password: USER_PASSWORD,
      role: 'agent',
    });
    wangId = wang.body.id;
    const team = await app.api('POST', '/api/v1/teams', { name: '售后服务' });
    teamId = team.body.id;
    expect(
      (await app.api('POST', `/api/v1/teams/${teamId}/members`, { userId: wangId })).status,
    ).toBe(200);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists colleagues with teams and presence for staff, without e-mail', async () => {
    const agent = await app.userToken('agent');
    const r = await app.api('GET', '/api/v1/agents', undefined, agent.token);
    expect(r.status).toBe(200);
    const wang = r.body.items.find((a: { name: string }) => a.name === '王芳');
    expect(wang).toEqual({
      id: wangId,
      name: '王芳',
      role: 'agent',
      status: 'offline',
      teamIds: [teamId],
    });
    expect(JSON.stringify(r.body)).not.toContain('@test.local');
    const marketer = await app.userToken('marketer');
    expect((await app.api('GET', '/api/v1/agents', undefined, marketer.token)).status).toBe(403);
  });

  async function openConversation(
    locale: string,
    width: number,
    phone: string,
  ): Promise<{ page: Page; id: string }> {
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: phone,
      text: `订单什么时候发货？ ${phone}`,
    });
    expect(inbound.status).toBeLessThan(300);
    const id = inbound.body.conversation.id as string;
    const context = await browser.newContext({
      locale,
      timezoneId: 'Asia/Shanghai',
      viewport: { width, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.getByTestId('conversation-actions').waitFor();
    return { page, id };
  }

  const conversation = async (id: string) =>
    (await app.api('GET', `/api/v1/conversations/${id}`)).body as {
      assigneeId: string | null;
      teamId: string | null;
      priority: string;
      status: string;
      tags: string[];
      snoozedUntil: string | null;
    };

  it.each([
    ['zh-CN', 390, '+8613800138101', '紧急', '暂停至'],
    ['en', 1280, '+8613800138102', 'Critical', 'Until'],
  ])(
    'assigns, prioritises, labels, snoozes, follows up and resolves (%s, %i px)',
    async (locale, width, phone, critical, customLabel) => {
      const { page, id } = await openConversation(locale, width, phone);

      await page.getByTestId('assign-select').selectOption({ label: '王芳' });
      await eventually(async () => (await conversation(id)).assigneeId === wangId, 'assigned');
      await page.getByTestId('assign-select').selectOption({ label: '售后服务' });
      await eventually(async () => {
        const c = await conversation(id);
        return c.teamId === teamId && c.assigneeId === null;
      }, 'handed to the team');

      await page.getByTestId('priority-select').selectOption({ label: critical });
      await eventually(async () => (await conversation(id)).priority === 'critical', 'priority');

      await page.getByTestId('label-input').fill('VIP客户');
      await page.getByTestId('label-input').press('Enter');
      await page.getByTestId('label-chip').filter({ hasText: 'VIP客户' }).waitFor();
      await eventually(async () => (await conversation(id)).tags.includes('VIP客户'), 'label');

      await page.getByTestId('snooze').click();
      expect(await page.getByTestId('snooze-custom').getAttribute('aria-label')).toBe(customLabel);
      await page.getByTestId('snooze-tomorrow').click();
      const snoozed = await eventually(async () => {
        const c = await conversation(id);
        return c.status === 'snoozed' ? c : null;
      }, 'snoozed');
      // Tomorrow 09:00 in the browser's zone (Asia/Shanghai, UTC+8) is 01:00 UTC.
      expect(new Date(snoozed.snoozedUntil!).getUTCHours()).toBe(1);
      expect(Date.parse(snoozed.snoozedUntil!) - Date.now()).toBeGreaterThan(0);
      await page.getByTestId('snoozed-until').waitFor();

      await page.getByTestId('follow-up').click();
      await page.getByTestId('follow-up-at').fill('2031-05-04T10:30');
      await page.getByTestId('follow-up-note').fill('回访物流');
      await page.getByTestId('follow-up-menu').locator('button[type="submit"]').click();
      await page.getByTestId('follow-up-set').waitFor();
      const followUps = await app.api('GET', `/api/v1/conversations/${id}/follow-ups`);
      expect(followUps.body.items).toEqual([
        expect.objectContaining({ note: '回访物流', at: '2031-05-04T02:30:00.000Z' }),
      ]);

      await page.getByTestId('resolve').click();
      await eventually(async () => (await conversation(id)).status === 'resolved', 'resolved');
      await page.getByTestId('reopen').click();
      await eventually(async () => (await conversation(id)).status === 'open', 'reopened');
      await page.getByTestId('pending').click();
      await eventually(async () => (await conversation(id)).status === 'pending', 'pending');
      expect(await fitsViewport(page)).toBe(true);
      await page.context().close();
    },
  );

  it('opens the customer panel as a drawer at 1024 px and goes back to the list on a phone', async () => {
    const wide = await openConversation('en', 1024, '+8613800138103');
    expect(await wide.page.getByTestId('customer-panel').isVisible()).toBe(false);
    await wide.page.getByTestId('show-customer').click();
    await wide.page.getByTestId('customer-panel').waitFor({ state: 'visible' });
    await wide.page.getByTestId('customer-close').click();
    await wide.page.getByTestId('customer-panel').waitFor({ state: 'hidden' });
    expect(await fitsViewport(wide.page)).toBe(true);
    await wide.page.context().close();

    const phone = await openConversation('zh-CN', 390, '+8613800138104');
    expect(await phone.page.getByTestId('conversation-row').first().isVisible()).toBe(false);
    await phone.page.getByTestId('show-customer').click();
    await phone.page.getByTestId('customer-panel').waitFor({ state: 'visible' });
    await phone.page.getByTestId('customer-close').click();
    await phone.page.getByTestId('back-to-list').click();
    await phone.page.getByTestId('conversation-row').first().waitFor({ state: 'visible' });
    expect(await fitsViewport(phone.page)).toBe(true);
    await phone.page.context().close();
  });
});
