import { startTestApp, type TestApp } from '../support/test-app';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { OutboundService } from '../../src/delivery/outbound.service';
import { eventually } from '../support/test-app';

const SECRET = 'inbound-secret-1234';

describe('Outbound email through SmtpEmailAdapter (SMTP_URL)', () => {
  let app: TestApp;
  let smtp: SMTPServer;
  const received: Buffer[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks));
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    app = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      EMAIL_FROM: 'support@hub.example',
      EMAIL_WEBHOOK_SECRET: SECRET,
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it("sends a multipart/alternative reply with our Message-ID, threaded under the customer's last email", async () => {
    const inbound = (id: string, refs?: string) =>
      fetch(`${app.url}/webhooks/email/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', 'x-webhook-secret': SECRET },
        body: [
          'From: Zhang Wei <zhang.wei@example.cn>',
          'To: support@hub.example',
          'Subject: Invoice question',
          `Message-ID: <${id}>`,
          ...(refs ? [`In-Reply-To: <${refs}>`, `References: <${refs}>`] : []),
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Where is my invoice?',
          '',
        ].join('\r\n'),
      }).then((r) => r.json() as Promise<{ customerId: string; conversationId: string }>);
    await inbound('first.zw@example.cn');
    const last = await inbound('second.zw@example.cn', 'first.zw@example.cn');

    const { message } = await app.hub.app.get(OutboundService).send({
      customerId: last.customerId,
      conversationId: last.conversationId,
      channel: 'email',
      subject: 'Re: Invoice question',
      text: 'Your invoice is attached to your account.',
      html: '<p>Your invoice is <b>attached</b> to your account.</p>',
      purpose: 'service',
    });
    const raw = await eventually(async () => received[0], 'the mail at the SMTP server');
    const mail = await simpleParser(raw);
    expect(mail.messageId).toMatch(new RegExp(`^<${message.id}@hub\\.example>$`));
    expect(mail.inReplyTo).toBe('<second.zw@example.cn>');
    const refs = Array.isArray(mail.references) ? mail.references : [mail.references];
    expect(refs).toEqual(['<first.zw@example.cn>', '<second.zw@example.cn>']);
    expect(raw.toString('utf8')).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.text).toContain('Your invoice is attached');
    expect(mail.html).toContain('<b>attached</b>');

    const sent = await eventually(async () => {
      const r = await app.api('GET', `/api/v1/customers/${last.customerId}/timeline`);
      const m = (r.body.items as Array<Record<string, any>>).find((i) => i.id === message.id);
      return m?.status === 'sent' ? m : null;
    }, 'the message marked sent');
    expect(sent.providerMessageId).toBe(`${message.id}@hub.example`);
  });
});
