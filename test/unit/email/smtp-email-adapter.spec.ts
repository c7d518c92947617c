import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { ChannelSendError } from '../../../src/channels/channel-port';
import { parseInboundEmail } from '../../../channel-adapters/email/parse-inbound';
import { SmtpEmailAdapter } from '../../../channel-adapters/email/smtp-email-adapter';

/** A local SMTP server that keeps every raw message and refuses mail for bounce@... with 550. */
async function captureServer(): Promise<{
  port: number;
  messages: Buffer[];
  close: () => Promise<void>;
}> {
  const messages: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) =>
      address.address.startsWith('bounce@')
        ? callback(Object.assign(new Error('5.1.1 user unknown'), { responseCode: 550 }))
        : callback(),
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe(SmtpEmailAdapter.name, () => {
  it('sends a threaded marketing mail whose raw form carries every header', async () => {
    const smtp = await captureServer();
    const adapter = new SmtpEmailAdapter({
      url: `smtp://127.0.0.1:${smtp.port}`,
      from: 'Hub <support@hub.example>',
    });
    try {
      const receipt = await adapter.send({
        messageId: 'msg_42',
        channel: 'email',
        to: 'li.wei@example.cn',
        subject: '春季优惠',
        text: 'Spring sale: 20% off.',
        html: '<p>Spring sale: <b>20%</b> off.</p>',
        metadata: {
          inReplyTo: '<CAF4471@mail.example.cn>',
          references: '<root@hub.example>',
          unsubscribeUrl: 'https://hub.example/u/tok123',
        },
      });
      expect(receipt).toMatchObject({ providerMessageId: 'msg_42@hub.example', status: 'sent' });
      expect(smtp.messages).toHaveLength(1);
      const raw = smtp.messages[0];
      const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0];
      expect(head).toMatch(/^Message-ID: <msg_42@hub\.example>$/m);
      expect(head).toMatch(/^In-Reply-To: <CAF4471@mail\.example\.cn>$/m);
      expect(head).toMatch(/^References: <root@hub\.example> <CAF4471@mail\.example\.cn>$/m);
      expect(head).toMatch(/^List-Unsubscribe: <https:\/\/hub\.example\/u\/tok123>$/m);
      expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      expect(head).toMatch(/^Content-Type: multipart\/alternative;/m);
      const parsed = await parseInboundEmail(raw);
      expect(parsed).toMatchObject({
        providerMessageId: 'msg_42@hub.example',
        threadRefs: ['CAF4471@mail.example.cn', 'root@hub.example'],
        subject: '春季优惠',
        text: 'Spring sale: 20% off.',
        html: '<p>Spring sale: <b>20%</b> off.</p>',
      });
      expect(adapter.health()).toEqual({ status: 'up', transport: 'live' });
    } finally {
      await adapter.stop();
      await smtp.close();
    }
  });

  it('turns a rejected recipient into a permanent ChannelSendError with the SMTP code', async () => {
    const smtp = await captureServer();
    const adapter = new SmtpEmailAdapter({
      url: `smtp://127.0.0.1:${smtp.port}`,
      from: 'support@hub.example',
    });
    try {
      const sending = adapter.send({
        messageId: 'm2',
        channel: 'email',
        to: 'bounce@example.org',
        text: 'hi',
      });
      await expect(sending).rejects.toBeInstanceOf(ChannelSendError);
      await expect(sending).rejects.toMatchObject({ errorClass: 'permanent', providerCode: '550' });
      expect(adapter.health().status).toBe('up');
    } finally {
      await adapter.stop();
      await smtp.close();
    }
  });

  it('turns a refused connection into a transient error and reports itself degraded', async () => {
    const smtp = await captureServer();
    await smtp.close();
    const adapter = new SmtpEmailAdapter({
      url: `smtp://127.0.0.1:${smtp.port}`,
      from: 'support@hub.example',
    });
    const sending = adapter.send({
      messageId: 'm3',
      channel: 'email',
      to: 'a@example.org',
      text: 'hi',
    });
    await expect(sending).rejects.toMatchObject({ errorClass: 'transient' });
    expect(adapter.health()).toMatchObject({ status: 'degraded', transport: 'live' });
    await adapter.stop();
  });
});
