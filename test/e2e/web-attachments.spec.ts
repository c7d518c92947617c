import { createTransport } from 'nodemailer';
import type { Browser } from 'playwright-core';
import { buildWebIfStale, fitsViewport, launchChromium } from '../support/web';
import { EmailReceiverService } from '../../src/email/email-receiver.service';
import { ADMIN, eventually, startTestApp, type TestApp } from '../support/test-app';

const INBOX = 'support@hub.example';
// A 1x1 PNG and the smallest PDF a viewer opens.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Listed {
  filename: string;
  url: string;
}

describe('Attachments open without the bearer header (signed links)', () => {
  let app: TestApp;
  let browser: Browser;
  let files: Record<string, string>;
  let conversationId: string;

  beforeAll(async () => {
    buildWebIfStale();
    app = await startTestApp({
      START_SMTP_RECEIVER: 'true',
      SMTP_INBOUND_PORT: '0',
      EMAIL_INBOXES: INBOX,
    });
    const port = app.hub.app.get(EmailReceiverService).boundPort!;
    await createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
      from: '王芳 <wangfang@example.cn>',
      to: INBOX,
      subject: '发票和截图',
      text: '请看附件里的截图和发票',
      attachments: [
        { filename: '截图.png', content: PNG, contentType: 'image/png' },
        { filename: 'invoice.pdf', content: PDF, contentType: 'application/pdf' },
        { filename: 'page.html', content: '<script>alert(1)</script>', contentType: 'text/html' },
      ],
    });
    const customer = await eventually(async () => {
      const c = await app.api('GET', '/api/v1/customers?identity=email:wangfang%40example.cn');
      return c.status === 200 ? (c.body as { id: string }) : null;
    }, 'the mail stored');
    const timeline = await app.api('GET', `/api/v1/customers/${customer.id}/timeline`);
    const item = timeline.body.items[0] as { conversationId: string; attachments: Listed[] };
    conversationId = item.conversationId;
    files = Object.fromEntries(item.attachments.map((a) => [a.filename, a.url]));
    expect(Object.keys(files).sort()).toEqual(['invoice.pdf', 'page.html', '截图.png']);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const idOf = (name: string) => files[name].split('/').pop()!;
  const link = (name: string, token?: string | null) =>
    app.api<{ url: string; expiresAt: string; message?: string }>(
      'POST',
      `/api/v1/attachments/${idOf(name)}/link`,
      undefined,
      token,
    );

  it('issues a five-minute link only to who may see the conversation', async () => {
    expect((await link('截图.png', null)).status).toBe(401);
    const marketer = await app.userToken('marketer');
    expect((await link('截图.png', marketer.token)).status).toBe(403);
    const team = await app.api('POST', '/api/v1/teams', { name: `Billing ${Date.now()}` });
    const assigned = await app.api('POST', `/api/v1/conversations/${conversationId}/assign`, {
      teamId: team.body.id,
    });
    expect(assigned.status).toBe(200);
    const outsider = await app.userToken('agent');
    const refused = await link('截图.png', outsider.token);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/team you are not in/);
    const given = await link('截图.png');
    expect(given.status).toBe(200);
    const ttl = Date.parse(given.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(240_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
  });

  it('opens images and PDFs in place without a header, and downloads anything else', async () => {
    const expectations: Array<[string, string, string]> = [
      ['截图.png', 'image/png', 'inline'],
      ['invoice.pdf', 'application/pdf', 'inline'],
      ['page.html', 'text/html', 'attachment'],
    ];
    for (const [name, type, disposition] of expectations) {
      const { body } = await link(name);
      const r = await fetch(app.url + body.url);
      expect([name, r.status]).toEqual([name, 200]);
      expect(r.headers.get('content-type')).toContain(type);
      expect(r.headers.get('content-disposition')).toMatch(new RegExp(`^${disposition};`));
      expect(r.headers.get('content-disposition')).toContain(encodeURIComponent(name));
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const png = await fetch(app.url + (await link('截图.png')).body.url);
    expect(Buffer.from(await png.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('refuses tampered links and links of another file, naming the token', async () => {
    const { body } = await link('截图.png');
    const token = new URL(body.url, app.url).searchParams.get('token')!;
    const tampered = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    const r1 = await app.api(
      'GET',
      `/api/v1/attachments/${idOf('截图.png')}/signed?token=${tampered}`,
      undefined,
      null,
    );
    expect(r1.status).toBe(403);
    expect(r1.body.message).toMatch(/^token:/);
    const other = await app.api(
      'GET',
      `/api/v1/attachments/${idOf('page.html')}/signed?token=${token}`,
      undefined,
      null,
    );
    expect(other.status).toBe(403);
    const none = await app.api(
      'GET',
      `/api/v1/attachments/${idOf('page.html')}/signed`,
      undefined,
      null,
    );
    expect(none.status).toBe(403);
    // The bearer route stays closed to a new tab.
    expect((await app.api('GET', files['截图.png'], undefined, null)).status).toBe(401);
  });

  it.each([
    ['zh-CN', 390],
    ['en', 1280],
  ])('previews the image and opens the PDF in a new tab (%s, %i px)', async (locale, width) => {
    const context = await browser.newContext({ locale, viewport: { width, height: 844 } });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    const row = page.getByTestId('conversation-row').filter({ hasText: '请看附件' });
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const image = page.getByTestId('attachment-image');
    await image.waitFor({ timeout: 15_000 });
    await eventually(
      async () =>
        image.evaluate(
          (img) =>
            (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
            (img as unknown as { naturalWidth: number }).naturalWidth === 1,
        ),
      'the image preview loaded',
    );
    expect(await image.getAttribute('src')).toContain('/signed?token=');
    expect(await fitsViewport(page)).toBe(true);
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      page.getByTestId('attachment-link').filter({ hasText: 'invoice.pdf' }).click(),
    ]);
    const opened = await tab.waitForResponse((r) => r.url().includes('/signed?token='));
    expect(opened.status()).toBe(200);
    // The PDF viewer takes the navigation over, and Chromium then reports no headers for it at
    // times; the same signed URL, fetched without any bearer header, shows what the tab was sent.
    const again = await context.request.get(opened.url());
    expect(again.status()).toBe(200);
    const headers = again.headers();
    expect(headers['content-type']).toBe('application/pdf');
    expect(headers['content-disposition']).toMatch(/^inline;/);
    await context.close();
  });
});
