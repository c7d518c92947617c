import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { ADMIN, eventually, startTestApp, USER_PASSWORD, type TestApp } from '../support/test-app';
import { buildWebIfStale, fitsViewport, launchChromium, signIn } from '../support/web';

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const SIGNATURE = '客服中心 Customer Care';

/** The reply box: @ mentions, / canned responses, emoji, attachments and the e-mail signature. */
describe('Reply box in the web app', () => {
  let app: TestApp;
  let browser: Browser;
  let wangToken: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp({ EMAIL_FROM: 'support@hub.example' });
    const wang = await app.api('POST', '/api/v1/users', {
      email: 'wangfang@test.local',
      name: '王芳',
      password: USER_PASSWORD,
      role: 'agent',
    });
    expect(wang.status).toBe(201);
    wangToken = await app.login('wangfang@test.local', USER_PASSWORD);
    const canned = await app.api('POST', '/api/v1/canned-responses', {
      shortCode: 'thanks',
      text: '感谢您的耐心，{{customer.displayName}}！',
    });
    expect(canned.status).toBe(201);
    const sig = await app.api('PUT', '/api/v1/email-inboxes/support@hub.example/signature', {
      text: SIGNATURE,
    });
    expect(sig.status).toBe(200);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  function socketOf(token: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = io(`${app.url}/agents`, {
        auth: { token },
        transports: ['websocket'],
        forceNew: true,
      });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  }

  async function openEmailConversation(locale: string, width: number, from: string, name: string) {
    const inbound = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'email',
      from,
      name,
      subject: '合同 Contract',
      text: '请把合同发给我。',
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
    await page.getByTestId('reply-box').waitFor();
    return { page, id };
  }

  const textOf = (page: Page) => page.getByTestId('reply-text').inputValue();

  it.each([
    ['zh-CN', 390, 'li.na@example.cn', '李娜', '客服', '添加备注', '发送'],
    ['en', 1280, 'zhao.qiang@example.cn', 'Zhao Qiang', 'Agent', 'Add note', 'Send'],
  ])(
    '@王 mentions 王芳, /thanks inserts a canned reply, emoji and a file go out by e-mail (%s, %i px)',
    async (locale, width, from, name, roleLabel, addNote, send) => {
      const { page, id } = await openEmailConversation(locale, width, from, name);
      const box = page.getByTestId('reply-text');

      // @ autocomplete in a note; the note notifies 王芳.
      await page.getByTestId('reply-note-toggle').check();
      await box.click();
      await box.pressSequentially('请 @王');
      const suggestions = page.getByTestId('reply-suggestions');
      await suggestions.getByText('王芳').waitFor();
      expect(await suggestions.innerText()).toContain(roleLabel);
      await box.press('Enter');
      expect(await textOf(page)).toBe('请 @王芳 ');
      await box.pressSequentially('看一下');
      // Escape closes the list without inserting.
      await box.pressSequentially(' @王');
      await suggestions.waitFor();
      await box.press('Escape');
      await suggestions.waitFor({ state: 'detached' });
      expect(await textOf(page)).toBe('请 @王芳 看一下 @王');
      await box.press('Backspace');
      await box.press('Backspace');
      const wang = await socketOf(wangToken);
      try {
        const mentioned = new Promise<{ conversationId: string }>((resolve) =>
          wang.once('mention', resolve),
        );
        expect(await page.getByTestId('reply-send').innerText()).toBe(addNote);
        await page.getByTestId('reply-send').click();
        expect((await mentioned).conversationId).toBe(id);
      } finally {
        wang.disconnect();
      }
      await page.getByTestId('reply-note-toggle').uncheck();

      // The e-mail channel shows the inbox signature under the box.
      expect(await page.getByTestId('reply-channel').inputValue()).toBe('email');
      expect(await page.getByTestId('reply-signature').innerText()).toContain(SIGNATURE);

      // / opens canned responses by shortcut; Enter inserts the filled text.
      await box.click();
      await box.pressSequentially('/tha');
      await suggestions.getByText('/thanks').waitFor();
      await box.press('Enter');
      expect(await textOf(page)).toBe(`感谢您的耐心，${name}！`);

      // An emoji at the caret.
      await page.getByTestId('emoji-button').click();
      await page.getByTestId('emoji-grid').getByRole('button', { name: '👍' }).click();
      expect(await textOf(page)).toBe(`感谢您的耐心，${name}！👍`);

      // A file, uploaded and listed, then sent with the reply.
      await page
        .getByTestId('reply-file-input')
        .setInputFiles({ name: '合同.png', mimeType: 'image/png', buffer: PNG });
      await page.getByTestId('reply-file').filter({ hasText: '合同.png' }).waitFor();
      expect(await fitsViewport(page)).toBe(true);
      expect(await page.getByTestId('reply-send').innerText()).toBe(send);
      await page.getByTestId('reply-send').click();
      await page.getByTestId('reply-files').waitFor({ state: 'detached' });

      const sent = await eventually(async () => {
        const d = await app.api('GET', `/api/v1/conversations/${id}`);
        return (d.body.messages as Array<Record<string, any>>).find(
          (m) => m.kind === 'message' && m.direction === 'outbound',
        );
      }, 'the e-mail reply');
      expect(sent.channel).toBe('email');
      expect(sent.text).toBe(`感谢您的耐心，${name}！👍\n\n-- \n${SIGNATURE}`);
      expect(sent.attachments).toEqual([
        expect.objectContaining({
          filename: '合同.png',
          contentType: 'image/png',
          size: PNG.length,
        }),
      ]);
      await page.getByTestId('attachment').filter({ hasText: '合同.png' }).waitFor();
      expect(await fitsViewport(page)).toBe(true);
      await page.context().close();
    },
  );
});
