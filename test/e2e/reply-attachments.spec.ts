import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { UploadsService } from '../../src/conversations/uploads.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const SECRET = 'inbound-secret-5678';
const MAX = 64 * 1024;
// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('Reply box uploads, attachments on e-mail replies and inbox signatures', () => {
  let app: TestApp;
  let smtp: SMTPServer;
  const received: ParsedMail[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, cb) {
        simpleParser(stream)
          .then((mail) => received.push(mail))
          .finally(() => cb());
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    app = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      EMAIL_FROM: 'support@hub.example',
      EMAIL_INBOXES: 'support@hub.example,sales@hub.example',
      EMAIL_WEBHOOK_SECRET: SECRET,
      ATTACHMENT_MAX_BYTES: String(MAX),
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const upload = (bytes: Buffer, filename: string, token: string | null = app.adminToken) =>
    fetch(`${app.url}/api/v1/attachments?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: new Uint8Array(bytes),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

  const inbound = (from: string, id: string) =>
    fetch(`${app.url}/webhooks/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-webhook-secret': SECRET },
      body: [
        `From: ${from}`,
        'To: support@hub.example',
        'Subject: Contract',
        `Message-ID: <${id}>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Please send me the signed contract. 请把合同发给我。',
        '',
      ].join('\r\n'),
    }).then(async (r) => {
      expect(r.status).toBeLessThan(300);
      return (await r.json()) as { customerId: string; conversationId: string };
    });

  it('stores an upload with the type read from its bytes; refuses a large one (413) and a bad type (415)', async () => {
    const ok = await upload(PNG, '截图.png');
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      filename: '截图.png',
      contentType: 'image/png',
      size: PNG.length,
    });
    expect(ok.body.url).toBe(`/api/v1/attachments/${ok.body.id}`);
    const back = await fetch(`${app.url}${ok.body.url}`, {
      headers: { authorization: `Bearer ${app.adminToken}` },
    });
    expect(Buffer.from(await back.arrayBuffer())).toEqual(PNG);
    // Until a reply carries it, only its uploader opens it.
    const other = await app.userToken('supervisor');
    const peek = await fetch(`${app.url}${ok.body.url}`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(peek.status).toBe(404);

    // A PNG named .txt is still a PNG; text named .png is text.
    expect((await upload(PNG, 'notes.txt')).body.contentType).toBe('image/png');
    expect((await upload(Buffer.from('订单 1234\n'), 'fake.png')).body.contentType).toBe(
      'text/plain',
    );

    const big = await upload(Buffer.alloc(MAX + 1, 0x41), 'big.txt');
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/ATTACHMENT_MAX_BYTES/);
    expect(big.body.message).toContain(String(MAX));

    const exe = await upload(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]), 'setup.exe');
    expect(exe.status).toBe(415);
    expect(exe.body.message).toMatch(/setup\.exe is not a type/);
    const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'a.html');
    expect(html.status).toBe(415);

    const noName = await upload(PNG, '');
    expect(noName.status).toBe(400);
    expect(noName.body.message).toMatch(/filename/);
    expect((await upload(PNG, 'x.png', null)).status).toBe(401);
  });

  it('sends an e-mail reply with the upload attached and the inbox signature appended, and lists it on the message', async () => {
    const put = await app.api('PUT', '/api/v1/email-inboxes/Support@hub.example/signature', {
      text: '客服中心 Customer Care\n+86 400 800 8000',
    });
    expect(put.status).toBe(200);
    const inboxes = await app.api('GET', '/api/v1/email-inboxes');
    expect(inboxes.body.items).toEqual(
      expect.arrayContaining([
        {
          address: 'support@hub.example',
          repliesFrom: true,
          signature: '客服中心 Customer Care\n+86 400 800 8000',
        },
        { address: 'sales@hub.example', repliesFrom: false, signature: null },
      ]),
    );
    const unknown = await app.api('PUT', '/api/v1/email-inboxes/nobody@else.example/signature', {
      text: 'x',
    });
    expect(unknown.status).toBe(404);
    const agent = await app.userToken('agent');
    const refused = await app.api(
      'PUT',
      '/api/v1/email-inboxes/support@hub.example/signature',
      { text: 'x' },
      agent.token,
    );
    expect(refused.status).toBe(403);

    const { conversationId } = await inbound('Li Na <li.na@example.cn>', 'att-1@example.cn');
    const file = await upload(PNG, '合同.png');
    const r = await app.api('POST', `/api/v1/conversations/${conversationId}/replies`, {
      text: '合同见附件。',
      attachmentIds: [file.body.id],
    });
    expect(r.status).toBe(202);
    expect(r.body.route.channel).toBe('email');

    const mail = await eventually(
      async () =>
        received.find(
          (m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === 'li.na@example.cn',
        ),
      'the reply through SMTP',
    );
    expect(mail.text).toBe('合同见附件。\n\n-- \n客服中心 Customer Care\n+86 400 800 8000');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: '合同.png', contentType: 'image/png' });
    expect(mail.attachments[0].content).toEqual(PNG);

    const detail = await app.api('GET', `/api/v1/conversations/${conversationId}`);
    const sent = (detail.body.messages as Array<Record<string, any>>).find(
      (m) => m.id === r.body.messageId,
    )!;
    expect(sent.attachments).toEqual([
      { filename: '合同.png', contentType: 'image/png', size: PNG.length, url: file.body.url },
    ]);

    // Sent once: the same upload cannot ride on another reply.
    const again = await app.api('POST', `/api/v1/conversations/${conversationId}/replies`, {
      text: 'again',
      attachmentIds: [file.body.id],
    });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/attachmentIds/);

    // A day on, the expiry job drops an upload no reply carried, and keeps a sent one.
    const unsent = await upload(PNG, 'never-sent.png');
    const uploads = app.hub.app.get(UploadsService);
    await uploads.expire({ attachmentId: unsent.body.id });
    await uploads.expire({ attachmentId: file.body.id });
    const open = (url: string) =>
      fetch(`${app.url}${url}`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    expect((await open(unsent.body.url)).status).toBe(404);
    expect((await open(file.body.url)).status).toBe(200);
  });

  it('refuses attachments on a reply by SMS, naming the channel', async () => {
    const customer = await app.api('POST', '/api/v1/customers', {
      displayName: '赵强',
      identities: [
        { channel: 'email', address: 'zhao.qiang@example.cn' },
        { channel: 'sms', address: '+8613900139111' },
      ],
    });
    expect(customer.status).toBe(201);
    const { conversationId } = await inbound(
      'Zhao Qiang <zhao.qiang@example.cn>',
      'att-2@example.cn',
    );
    const file = await upload(PNG, 'photo.png');
    const r = await app.api('POST', `/api/v1/conversations/${conversationId}/replies`, {
      text: '照片',
      channel: 'sms',
      attachmentIds: [file.body.id],
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'attachmentIds: the sms channel cannot carry attachments; send them by email',
    );
  });
});
