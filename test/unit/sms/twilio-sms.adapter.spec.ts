import { ChannelSendError, type InboundRequest } from '../../../src/channels/channel-port';
import { TwilioSmsAdapter } from '../../../channel-adapters/sms/twilio-sms.adapter';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';

const ACCOUNT = 'AC' + 'a'.repeat(32);
const TOKEN = 'b'.repeat(32);

/** A stand-in for the hub's webhook route: records what arrives, as a controller would see it. */
async function startHub(): Promise<{
  url: string;
  received: InboundRequest[];
  close(): Promise<void>;
}> {
  const received: InboundRequest[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const body = Object.fromEntries(new URLSearchParams(rawBody.toString()));
      received.push({
        url: url + (req.url ?? ''),
        method: req.method ?? 'POST',
        headers: req.headers,
        body,
        rawBody,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe(TwilioSmsAdapter.name, () => {
  let fake: FakeTwilio;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN });
  });
  afterAll(() => fake.stop());

  function adapter(
    overrides: Partial<ConstructorParameters<typeof TwilioSmsAdapter>[0]> = {},
  ): TwilioSmsAdapter {
    return new TwilioSmsAdapter({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      from: '+15005550006',
      apiBaseUrl: fake.url,
      ...overrides,
    });
  }

  it('sends through the real SDK to the fake, with basic auth and Twilio form fields', async () => {
    const receipt = await adapter().send({
      messageId: 'msg-1',
      channel: 'sms',
      to: '+15551234567',
      text: '您的订单已发货',
      statusCallbackUrl: 'https://hub.example.com/webhooks/twilio/status',
      attachments: [
        {
          filename: 'a.png',
          contentType: 'image/png',
          size: 1,
          url: 'https://hub.example.com/attachments/1',
        },
      ],
    });

    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(receipt.status).toBe('queued');
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(request.basicAuth).toEqual({ username: ACCOUNT, password: TOKEN });
    expect(request.params).toEqual({
      To: '+15551234567',
      From: '+15005550006',
      Body: '您的订单已发货',
      StatusCallback: 'https://hub.example.com/webhooks/twilio/status',
      MediaUrl: 'https://hub.example.com/attachments/1',
    });
  });

  it('uses the Messaging Service when configured, and Twilio answers accepted', async () => {
    const receipt = await adapter({ messagingServiceSid: 'MG' + '1'.repeat(32) }).send({
      messageId: 'msg-2',
      channel: 'sms',
      to: '+15551234567',
      text: 'hi',
    });
    expect(receipt.status).toBe('queued');
    expect(fake.requests.at(-1)!.params).toEqual({
      To: '+15551234567',
      Body: 'hi',
      MessagingServiceSid: 'MG' + '1'.repeat(32),
    });
  });

  it('turns Twilio 21610 into a permanent opt-out ChannelSendError', async () => {
    fake.setNextError(21610, 400);
    const sending = adapter().send({
      messageId: 'msg-3',
      channel: 'sms',
      to: '+15551234567',
      text: 'promo',
    });
    await expect(sending).rejects.toBeInstanceOf(ChannelSendError);
    await expect(sending).rejects.toMatchObject({
      errorClass: 'permanent',
      optOut: true,
      providerCode: '21610',
    });
  });

  it('turns bad credentials into an auth error', async () => {
    const sending = adapter({ authToken: 'wrong' }).send({
      messageId: 'msg-4',
      channel: 'sms',
      to: '+1555',
      text: 'x',
    });
    await expect(sending).rejects.toMatchObject({ errorClass: 'auth', providerCode: '20003' });
  });

  it('turns a 503 into a transient error', async () => {
    fake.setNextError(20503, 503, 'Service Unavailable');
    const sending = adapter().send({ messageId: 'msg-5', channel: 'sms', to: '+1555', text: 'x' });
    await expect(sending).rejects.toMatchObject({ errorClass: 'transient' });
  });

  it('turns an unreachable API into a transient error', async () => {
    const down = adapter({ apiBaseUrl: 'http://127.0.0.1:1' });
    await expect(
      down.send({ messageId: 'msg-6', channel: 'sms', to: '+1555', text: 'x' }),
    ).rejects.toMatchObject({
      errorClass: 'transient',
    });
  });

  it('answers a missing To like Twilio does', async () => {
    const sending = adapter().send({ messageId: 'msg-7', channel: 'sms', to: '', text: 'x' });
    await expect(sending).rejects.toMatchObject({ errorClass: 'permanent', providerCode: '21604' });
  });

  it('verifies and parses the status callback the fake sends', async () => {
    const hub = await startHub();
    try {
      const sms = adapter();
      const receipt = await sms.send({
        messageId: 'msg-8',
        channel: 'sms',
        to: '+15551234567',
        text: 'hello',
        statusCallbackUrl: `${hub.url}/webhooks/twilio/status?m=msg-8`,
      });
      const result = await fake.sendStatusCallback(receipt.providerMessageId, 'undelivered', 30006);
      expect(result.status).toBe(204);

      const callback = hub.received[0]!;
      expect(sms.verify(callback)).toBe(true);
      expect(sms.parseStatus(callback)).toEqual({
        providerMessageId: receipt.providerMessageId,
        status: 'undelivered',
        errorCode: '30006',
      });
      expect(
        sms.verify({ ...callback, body: { ...callback.body, MessageStatus: 'delivered' } }),
      ).toBe(false);
    } finally {
      await hub.close();
    }
  });

  it('verifies an inbound webhook posted by the fake and normalizes it', async () => {
    const hub = await startHub();
    try {
      await fake.postWebhook(`${hub.url}/webhooks/twilio/sms`, {
        MessageSid: 'SM' + 'c'.repeat(32),
        AccountSid: ACCOUNT,
        From: '+15551234567',
        To: '+15005550006',
        Body: 'STOP',
        NumMedia: '0',
      });
      const request = hub.received[0]!;
      const sms = adapter();
      expect(sms.verify(request)).toBe(true);
      const [inbound] = sms.normalizeInbound(request);
      expect(inbound?.metadata).toMatchObject({ keyword: 'optout', accountSid: ACCOUNT });
      expect(inbound?.metadata?.idempotencyToken).toEqual(expect.any(String));
    } finally {
      await hub.close();
    }
  });

  it('refuses to be built without a sender', () => {
    expect(() => new TwilioSmsAdapter({ accountSid: ACCOUNT, authToken: TOKEN })).toThrow(
      /TWILIO_FROM/,
    );
  });
});
