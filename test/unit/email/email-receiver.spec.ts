import { createTransport } from 'nodemailer';
import { EmailReceiver, type EmailEnvelope } from '../../../channel-adapters/email/email-receiver';
import { parseInboundEmail } from '../../../channel-adapters/email/parse-inbound';

interface Received {
  raw: Buffer;
  envelope: EmailEnvelope;
}

async function startReceiver(onMessage: (raw: Buffer, envelope: EmailEnvelope) => Promise<void>) {
  const receiver = new EmailReceiver({
    port: 0,
    host: '127.0.0.1',
    inboxes: ['Support@Hub.Example', 'sales@hub.example'],
    maxMessageBytes: 64 * 1024,
    onMessage,
  });
  const port = await receiver.start();
  const client = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  return { receiver, client };
}

function errorOf(promise: Promise<unknown>): Promise<{ responseCode?: number; response?: string }> {
  return promise.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (err: { responseCode?: number; response?: string }) => err,
  );
}

describe(EmailReceiver.name, () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('hands accepted mail to onMessage with bytes that parse back', async () => {
    const received: Received[] = [];
    const { receiver, client } = await startReceiver(async (raw, envelope) => {
      received.push({ raw, envelope });
    });
    stop = () => receiver.stop();
    const info = await client.sendMail({
      from: 'Li Wei <li.wei@example.cn>',
      to: 'support@hub.example',
      subject: '订单查询',
      text: '你好，我的订单在哪里？',
      messageId: '<smtp-test-1@example.cn>',
    });
    expect(info.accepted).toEqual(['support@hub.example']);
    expect(received).toHaveLength(1);
    expect(received[0].envelope).toEqual({
      from: 'li.wei@example.cn',
      to: ['support@hub.example'],
    });
    const parsed = await parseInboundEmail(received[0].raw);
    expect(parsed).toMatchObject({
      from: 'li.wei@example.cn',
      subject: '订单查询',
      text: '你好，我的订单在哪里？',
      providerMessageId: 'smtp-test-1@example.cn',
    });
  });

  it('accepts inboxes case-insensitively and reports every recipient', async () => {
    const received: Received[] = [];
    const { receiver, client } = await startReceiver(async (raw, envelope) => {
      received.push({ raw, envelope });
    });
    stop = () => receiver.stop();
    await client.sendMail({
      from: 'a@example.org',
      to: ['SUPPORT@hub.example', 'sales@HUB.example'],
      text: 'hi',
    });
    expect(received[0].envelope.to).toEqual(['support@hub.example', 'sales@hub.example']);
  });

  it('refuses an unknown inbox with 550 naming the address', async () => {
    const onMessage = jest.fn(async () => undefined);
    const { receiver, client } = await startReceiver(onMessage);
    stop = () => receiver.stop();
    const err = await errorOf(
      client.sendMail({ from: 'a@example.org', to: 'nobody@hub.example', text: 'hi' }),
    );
    expect(err.responseCode).toBe(550);
    expect(err.response).toContain('<nobody@hub.example>: no such inbox here');
    expect(onMessage).not.toHaveBeenCalled();
  });

  it('refuses a message over maxMessageBytes with 552', async () => {
    const onMessage = jest.fn(async () => undefined);
    const { receiver, client } = await startReceiver(onMessage);
    stop = () => receiver.stop();
    const err = await errorOf(
      client.sendMail({
        from: 'a@example.org',
        to: 'support@hub.example',
        text: 'x'.repeat(200 * 1024),
      }),
    );
    expect(err.responseCode).toBe(552);
    expect(err.response).toContain('message exceeds 65536 bytes');
    expect(onMessage).not.toHaveBeenCalled();
  });

  it('answers 451 when onMessage fails, so the sender retries', async () => {
    const { receiver, client } = await startReceiver(async () => {
      throw new Error('database down');
    });
    stop = () => receiver.stop();
    const err = await errorOf(
      client.sendMail({ from: 'a@example.org', to: 'support@hub.example', text: 'hi' }),
    );
    expect(err.responseCode).toBe(451);
  });

  it('refuses for good (550) a message onMessage rejects as malformed', async () => {
    const { receiver, client } = await startReceiver(async () => {
      throw Object.assign(new Error('malformed MIME message: no From address'), { smtpCode: 550 });
    });
    stop = () => receiver.stop();
    const err = await errorOf(
      client.sendMail({ from: 'a@example.org', to: 'support@hub.example', text: 'hi' }),
    );
    expect(err.responseCode).toBe(550);
    expect(err.response).toContain('no From address');
  });

  it('answers DATA only after onMessage resolved', async () => {
    let release: () => void = () => undefined;
    const stored = new Promise<void>((resolve) => (release = resolve));
    let called: () => void = () => undefined;
    const onMessageCalled = new Promise<void>((resolve) => (called = resolve));
    let settled = false;
    const { receiver, client } = await startReceiver(() => {
      called();
      return stored;
    });
    stop = () => receiver.stop();
    const sending = client
      .sendMail({ from: 'a@example.org', to: 'support@hub.example', text: 'hi' })
      .then(() => {
        settled = true;
      });
    await onMessageCalled;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    await sending;
    expect(settled).toBe(true);
  });
});
