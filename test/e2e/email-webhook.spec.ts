import { startTestApp, type TestApp } from '../support/test-app';
import { readFileSync } from 'fs';
import { join } from 'path';

const SECRET = 'inbound-secret-1234';
const MAX_BYTES = 100_000;
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'email', name));

describe('POST /webhooks/email/inbound (EmailWebhookController)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      EMAIL_WEBHOOK_SECRET: SECRET,
      EMAIL_MAX_BYTES: String(MAX_BYTES),
      BODY_LIMIT: '1mb',
    });
  });
  afterAll(() => app.close());

  const post = (
    body: Buffer | string,
    headers: Record<string, string> = { 'x-webhook-secret': SECRET },
    url = app.url,
  ) =>
    fetch(`${url}/webhooks/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

  it('accepts a raw GBK message with the right secret and puts it on the timeline decoded', async () => {
    const res = await post(fixture('gbk.eml'));
    expect(res.status).toBe(202);
    expect(res.body.duplicate).toBe(false);
    const t = await app.api('GET', `/api/v1/customers/${res.body.customerId}/timeline`);
    const expected = JSON.parse(
      readFileSync(join(__dirname, '..', 'fixtures', 'email', 'gbk.expected.json'), 'utf8'),
    ) as { text: string; subject: string };
    expect(t.body.items[0].id).toBe(res.body.messageId);
    expect(t.body.items[0].text).toBe(expected.text);
    expect(t.body.items[0].subject).toBe(expected.subject);
  });

  it('stores attachments and lists them on the message', async () => {
    const res = await post(fixture('two-attachments.eml'));
    expect(res.status).toBe(202);
    const t = await app.api('GET', `/api/v1/customers/${res.body.customerId}/timeline`);
    const attachments = t.body.items[0].attachments as Array<{ url: string; filename: string }>;
    expect(attachments).toHaveLength(2);
    const file = await fetch(app.url + attachments[0].url, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(file.status).toBe(200);
  });

  it('keeps one message when the provider retries the same Message-ID', async () => {
    const first = await post(fixture('plain-utf8.eml'));
    const again = await post(fixture('plain-utf8.eml'));
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.messageId).toBe(first.body.messageId);
    expect(again.body.duplicate).toBe(true);
    const t = await app.api('GET', `/api/v1/customers/${first.body.customerId}/timeline`);
    expect(t.body.items).toHaveLength(1);
  });

  it('refuses a wrong or missing secret with 403', async () => {
    const wrong = await post(fixture('plain-utf8.eml'), { 'x-webhook-secret': 'not-the-secret' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toContain('X-Webhook-Secret');
    const missing = await post(fixture('plain-utf8.eml'), {});
    expect(missing.status).toBe(403);
  });

  it('refuses malformed MIME with 400 naming the problem', async () => {
    const noHeaders = await post('this is not an email at all');
    expect(noHeaders.status).toBe(400);
    expect(noHeaders.body.message).toMatch(/malformed MIME.*header/);
    const noFrom = await post('Subject: hello\r\nTo: support@localhost\r\n\r\nbody\r\n');
    expect(noFrom.status).toBe(400);
    expect(noFrom.body.message).toContain('no From address');
    const empty = await post('');
    expect(empty.status).toBe(400);
  });

  it('refuses a message over EMAIL_MAX_BYTES with 413', async () => {
    const big = `From: a@example.com\r\nTo: support@localhost\r\nSubject: big\r\nMessage-ID: <big@example.com>\r\n\r\n${'x'.repeat(MAX_BYTES + 1)}\r\n`;
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('EMAIL_MAX_BYTES');
  });

  it('answers 503 naming EMAIL_WEBHOOK_SECRET when no secret is configured', async () => {
    const other = await startTestApp();
    try {
      const res = await post(fixture('plain-utf8.eml'), { 'x-webhook-secret': SECRET }, other.url);
      expect(res.status).toBe(503);
      expect(res.body.message).toContain('EMAIL_WEBHOOK_SECRET');
    } finally {
      await other.close();
    }
  });
});
