import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const SECRET = 'inbound-secret-1234';

describe('Subjects of e-mail replies and rating requests, through SMTP', () => {
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
      EMAIL_WEBHOOK_SECRET: SECRET,
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  /** A customer's mail into the hub; `subject` undefined sends no Subject header at all. */
  const inbound = (from: string, id: string, subject: string | undefined) =>
    fetch(`${app.url}/webhooks/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-webhook-secret': SECRET },
      body: [
        `From: ${from}`,
        'To: support@hub.example',
        ...(subject !== undefined
          ? [`Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`]
          : []),
        `Message-ID: <${id}>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Where is my invoice? 我的发票在哪里？',
        '',
      ].join('\r\n'),
    }).then(async (r) => {
      expect(r.status).toBeLessThan(300);
      return (await r.json()) as { customerId: string; conversationId: string };
    });

  const mailTo = (address: string, match: (m: ParsedMail) => boolean) =>
    eventually(
      async () =>
        received.find(
          (m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address && match(m),
        ),
      `a mail to ${address}`,
    );

  const reply = async (conversationId: string, text: string) => {
    const r = await app.api('POST', `/api/v1/conversations/${conversationId}/replies`, { text });
    expect(r.status).toBe(202);
    expect(r.body.route.channel).toBe('email');
    return r.body.messageId as string;
  };

  it('answers "Re: <subject>" once, however many reply markers the customer\'s mail carries', async () => {
    const first = await inbound(
      'Zhang Wei <zhang.wei@example.cn>',
      'a1@example.cn',
      'Invoice question',
    );
    const id1 = await reply(first.conversationId, 'Your invoice is on its way.');
    const m1 = await mailTo('zhang.wei@example.cn', (m) => m.messageId === `<${id1}@hub.example>`);
    expect(m1.subject).toBe('Re: Invoice question');

    await inbound(
      'Zhang Wei <zhang.wei@example.cn>',
      'a2@example.cn',
      'RE: 回复：Re: Invoice question',
    );
    const id2 = await reply(first.conversationId, 'It was sent yesterday.');
    const m2 = await mailTo('zhang.wei@example.cn', (m) => m.messageId === `<${id2}@hub.example>`);
    expect(m2.subject).toBe('Re: Invoice question');
    // The timeline shows the subject the mail went with.
    const detail = await app.api('GET', `/api/v1/conversations/${first.conversationId}`);
    const sent = (detail.body.messages as Array<{ id: string; subject: string }>).find(
      (m) => m.id === id2,
    );
    expect(sent?.subject).toBe('Re: Invoice question');
  });

  it("gives a reply to a mail without a subject, and the rating request, a subject in the customer's language", async () => {
    const zh = await inbound('陈静 <chen.jing@example.cn>', 'b1@example.cn', undefined);
    const patched = await app.api('PATCH', `/api/v1/customers/${zh.customerId}`, {
      locale: 'zh-CN',
    });
    expect(patched.status).toBe(200);
    const id = await reply(zh.conversationId, '您好，发票已寄出。');
    const m = await mailTo('chen.jing@example.cn', (x) => x.messageId === `<${id}@hub.example>`);
    expect(m.subject).toBe('Re: 您的咨询');

    const resolved = await app.api('POST', `/api/v1/conversations/${zh.conversationId}/status`, {
      status: 'resolved',
    });
    expect(resolved.status).toBe(200);
    const csat = await mailTo('chen.jing@example.cn', (x) => !!x.text?.includes('1-5'));
    expect(csat.subject).toBe('请为本次服务评分');

    const en = await inbound(
      'Amy Lee <amy.lee@example.com>',
      'c1@example.com',
      'Re: Refund for order 42',
    );
    await app.api('POST', `/api/v1/conversations/${en.conversationId}/status`, {
      status: 'resolved',
    });
    const enCsat = await mailTo('amy.lee@example.com', (x) => !!x.text?.includes('1-5'));
    expect(enCsat.subject).toBe('Re: Refund for order 42 · How did we do?');
  });
});
