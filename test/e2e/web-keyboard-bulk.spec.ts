import type { Browser, Page } from 'playwright-core';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** Labels in the list, keyboard navigation, the command palette and bulk actions, in Chromium. */
describe('Inbox keyboard, palette and bulk actions in the web app', () => {
  let app: TestApp;
  let browser: Browser;
  let adminId: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    browser = await launchChromium();
    adminId = (await app.api('GET', '/api/v1/auth/me')).body.id as string;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const conversation = async (id: string) =>
    (await app.api('GET', `/api/v1/conversations/${id}`)).body as {
      status: string;
      priority: string;
    };
  const conversationFull = async (id: string) =>
    (await app.api('GET', `/api/v1/conversations/${id}`)).body as { assigneeId: string | null };
  const rowIds = (page: Page) =>
    page
      .locator('[data-testid="conversation-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-conversation-id')!));
  const openId = (page: Page) =>
    page.getByTestId('conversation-view').getAttribute('data-conversation-id');

  it.each([
    ['zh-CN', 390, '+86137004300', '键盘测试', '紧急', 'critical', '已处理 2 个会话。'],
    ['en', 1280, '+86137004310', 'keyboard-check', 'priority high', 'high', 'Done for 2'],
  ])(
    'moves with j/k, resolves with e, runs a palette command, bulk-resolves (%s, %i px)',
    async (locale, width, phonePrefix, label, typed, priority, bulkDone) => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await app.api('POST', '/api/v1/sandbox/inbound', {
          channel: 'sms',
          from: `${phonePrefix}${i}`,
          text: `第${i}个问题`,
        });
        const id = r.body.conversation.id as string;
        ids.push(id);
        const tags = i === 0 ? [label, '一个很长很长很长很长很长的标签名字'] : [label];
        expect((await app.api('POST', `/api/v1/conversations/${id}/tags`, { tags })).status).toBe(
          200,
        );
      }
      const context = await browser.newContext({
        locale,
        timezoneId: 'Asia/Shanghai',
        viewport: { width, height: 844 },
      });
      const page = await context.newPage();
      await signIn(page, app.url, ADMIN.email, ADMIN.password);
      const phone = width < 640;

      // Labels show in the list; a click on one narrows the list to it.
      const first = page.locator(
        `[data-testid="conversation-row"][data-conversation-id="${ids[0]}"]`,
      );
      await first.waitFor({ timeout: 15_000 });
      await first.getByTestId('row-label').filter({ hasText: label }).click();
      await page.getByTestId('label-filter').waitFor();
      await eventually(
        async () => (await rowIds(page)).length === 4,
        'the list narrowed to the label',
      );
      expect(new Set(await rowIds(page))).toEqual(new Set(ids));
      expect(await first.getByTestId('row-label').count()).toBe(2);

      // j / k move through the list; arrows too while the list has focus.
      const order = await rowIds(page);
      expect(new URL(page.url()).hash).toBe('');
      await page.locator(`[data-conversation-id="${order[0]}"] .row-link`).click();
      await eventually(async () => (await openId(page)) === order[0], 'first opened');
      await page.keyboard.press('j');
      await eventually(async () => (await openId(page)) === order[1], 'j opens the next');
      await page.keyboard.press('j');
      await eventually(async () => (await openId(page)) === order[2], 'j again');
      await page.keyboard.press('k');
      await eventually(async () => (await openId(page)) === order[1], 'k opens the previous');
      if (!phone) {
        await page.locator(`[data-conversation-id="${order[1]}"] .row-link`).focus();
        await page.keyboard.press('ArrowDown');
        await eventually(async () => (await openId(page)) === order[2], 'ArrowDown in the list');
        await page.keyboard.press('ArrowUp');
        await eventually(async () => (await openId(page)) === order[1], 'ArrowUp in the list');
      }
      // Typing in the reply box is text, not a command.
      await page.keyboard.press('r');
      await page.keyboard.type('jk');
      expect(await page.getByTestId('reply-text').inputValue()).toBe('jk');
      expect(await openId(page)).toBe(order[1]);
      await page.getByTestId('reply-text').fill('');
      await page.keyboard.press('Escape'); // leaves the text box: letters are commands again
      // n: the reply box in note mode; r: back to a reply; a: assign to me; s: snooze; ?: help.
      await page.keyboard.press('n');
      expect(await page.getByTestId('reply-note-toggle').isChecked()).toBe(true);
      expect(await page.evaluate('document.activeElement?.dataset.testid')).toBe('reply-text');
      await page.keyboard.press('Escape');
      await page.keyboard.press('r');
      expect(await page.getByTestId('reply-note-toggle').isChecked()).toBe(false);
      await page.keyboard.press('Escape');
      await page.keyboard.press('a');
      await eventually(
        async () => (await conversationFull(order[1])).assigneeId === adminId,
        'a assigns to me',
      );
      await page.keyboard.press('s');
      await page.getByTestId('snooze-menu').waitFor();
      await page.getByTestId('snooze').click();
      await page.keyboard.press('?');
      await page.getByTestId('shortcut-help').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('shortcut-help').waitFor({ state: 'hidden' });

      // e resolves the open conversation.
      await page.keyboard.press('e');
      await eventually(
        async () => (await conversation(order[1])).status === 'resolved',
        'e resolves',
      );

      // Ctrl+K: the palette opens, filters as typed, Enter runs the highlighted command.
      await page
        .locator('body')
        .click({ position: { x: 1, y: 1 } })
        .catch(() => undefined);
      await page.keyboard.press('k'); // back to the first conversation
      await eventually(async () => (await openId(page)) === order[0], 'k after resolving');
      await page.keyboard.press('Control+k');
      const palette = page.getByTestId('command-palette');
      await palette.waitFor();
      expect(await palette.getAttribute('role')).toBe('dialog');
      const input = page.getByTestId('palette-input');
      await input.fill(typed);
      const active = await input.getAttribute('aria-activedescendant');
      expect(active).toBe(`palette-priority-${priority}`);
      expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
      await input.press('Enter');
      await palette.waitFor({ state: 'hidden' });
      await eventually(
        async () => (await conversation(order[0])).priority === priority,
        'the palette command ran',
      );
      await page.keyboard.press('Control+k');
      await palette.waitFor();
      const top = await input.getAttribute('aria-activedescendant');
      await input.press('ArrowDown');
      expect(await input.getAttribute('aria-activedescendant')).not.toBe(top);
      await page.keyboard.press('Escape');
      await palette.waitFor({ state: 'hidden' });

      // Bulk: pick the two other open conversations and resolve them together.
      if (phone) await page.getByTestId('back-to-list').click();
      const rest = order.filter((id) => id !== order[1]).slice(1);
      for (const id of rest)
        await page.locator(`[data-conversation-id="${id}"] [data-testid="row-check"]`).click();
      expect(await page.getByTestId('bulk-count').textContent()).toContain('2');
      expect(await fitsViewport(page)).toBe(true);
      await page.getByTestId('bulk-resolve').click();
      await page.getByTestId('bulk-outcome').filter({ hasText: bulkDone }).waitFor();
      for (const id of rest)
        await eventually(
          async () => (await conversation(id)).status === 'resolved',
          'bulk resolved',
        );
      expect((await conversation(order[0])).status).toBe('open');
      expect(await fitsViewport(page)).toBe(true);
      await context.close();
    },
  );
});
