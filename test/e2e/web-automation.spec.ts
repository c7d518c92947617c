import type { Browser, Page } from 'playwright-core';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

/** Creating a rule in settings (it then fires) and running a macro from a conversation. */
describe('Automation in the web app', () => {
  let app: TestApp;
  let browser: Browser;
  let teamId: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp();
    teamId = (await app.api('POST', '/api/v1/teams', { name: '退款组' })).body.id;
    const macro = await app.api('POST', '/api/v1/macros', {
      name: '退款分拣',
      shared: true,
      actions: [
        { type: 'addLabels', labels: ['macro-label'] },
        { type: 'note', text: '宏已处理' },
        { type: 'setStatus', status: 'pending' },
      ],
    });
    expect(macro.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function pageAt(locale: string, width: number): Promise<Page> {
    const context = await browser.newContext({
      locale,
      timezoneId: 'Asia/Shanghai',
      viewport: { width, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    return page;
  }

  const detail = async (id: string) =>
    (await app.api('GET', `/api/v1/conversations/${id}`)).body as {
      teamId: string | null;
      tags: string[];
      status: string;
      messages: Array<{ kind: string; text: string | null }>;
    };

  it.each([
    ['zh-CN', 390, '+8613900139201', '自动化'],
    ['en', 1280, '+8613900139202', 'Automation'],
  ])(
    'creates a rule in settings and runs a macro (%s, %i px)',
    async (locale, width, phone, title) => {
      const page = await pageAt(locale, width);
      await page.goto(`${app.url}/#/settings/automation`);
      await page.getByRole('heading', { name: title }).waitFor();
      await page.getByTestId('automation-new').click();
      const name = `rule ${locale}`;
      const word = `关键词${width}`;
      await page.getByTestId('rule-name').fill(name);
      await page.getByTestId('rule-event').selectOption('message.received');
      await page.getByTestId('add-cond').click();
      await page.getByTestId('cond-type-0').selectOption('textContains');
      await page.getByTestId('cond-value-0').fill(word);
      await page.getByTestId('act-type-0').selectOption('assign');
      await page.getByTestId('act-value-0').selectOption(teamId);
      await page.getByTestId('add-act').click();
      await page.getByTestId('act-type-1').selectOption('addLabels');
      await page.getByTestId('act-value-1').fill(`web-${width}`);
      expect(await fitsViewport(page)).toBe(true);
      await page.getByTestId('rule-save').click();
      const row = page.getByTestId('rule-row').filter({ hasText: name });
      await row.waitFor();
      expect(await fitsViewport(page)).toBe(true);

      // The rule fires on a sandbox inbound.
      const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
        channel: 'sms',
        from: phone,
        text: `请处理：${word}`,
      });
      const id = inbound.body.conversation.id as string;
      await eventually(async () => {
        const d = await detail(id);
        return d.teamId === teamId && d.tags.includes(`web-${width}`);
      }, 'the rule made in the web app to fire');
      await page.reload();
      await row.getByTestId('rule-fired').filter({ hasText: '1' }).waitFor();

      // Reorder (up to the top) and deactivate from the list.
      const rules = async () =>
        (await app.api('GET', '/api/v1/automation-rules')).body.items as Array<{
          name: string;
          active: boolean;
        }>;
      while ((await rules())[0].name !== name) {
        const before = (await rules()).findIndex((r) => r.name === name);
        await row.getByTestId('rule-up').click();
        await eventually(
          async () => (await rules()).findIndex((r) => r.name === name) < before,
          'the rule to move up',
        );
      }
      await page.getByTestId('rule-row').first().filter({ hasText: name }).waitFor();
      await row.getByTestId('rule-active').click();
      await eventually(
        async () => (await rules()).find((r) => r.name === name)?.active === false,
        'the rule to be deactivated',
      );

      // The macro, from the conversation's toolbar; the result shows and the timeline follows live.
      await page.goto(`${app.url}/#/`);
      const conv = page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
      await conv.waitFor({ timeout: 15_000 });
      await conv.click();
      await page.getByTestId('macros').click();
      await page.getByTestId('macro-item').filter({ hasText: '退款分拣' }).click();
      await page.getByTestId('macro-result').filter({ hasText: '3' }).waitFor();
      await page
        .locator('[data-testid="message"][data-kind="note"]', { hasText: '宏已处理' })
        .waitFor();
      const d = await detail(id);
      expect(d.tags).toContain('macro-label');
      expect(d.status).toBe('pending');
      expect(await fitsViewport(page)).toBe(true);
      await page.context().close();
    },
  );
});
