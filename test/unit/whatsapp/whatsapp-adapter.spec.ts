import type { InboundRequest } from '../../../src/channels/channel-port';
import {
  normalizeWhatsappInbound,
  stripWhatsappPrefix,
  toWhatsappAddress,
  TwilioWhatsappAdapter,
} from '../../../channel-adapters/whatsapp';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';

const ACCOUNT = 'AC' + 'c'.repeat(32);
const TOKEN = 'd'.repeat(32);

const request = (body: Record<string, string>): InboundRequest => ({
  url: 'https://hub.example/webhooks/twilio/sms',
  method: 'POST',
  headers: { 'i-twilio-idempotency-token': 'tok-1' },
  body,
});

describe('WhatsApp addresses', () => {
  it.each([
    ['whatsapp:+8613800138000', '+8613800138000'],
    [' WhatsApp:+14155238886 ', '+14155238886'],
    ['+8613800138000', '+8613800138000'],
  ])('%j -> %j', (raw, bare) => {
    expect(stripWhatsappPrefix(raw)).toBe(bare);
    expect(toWhatsappAddress(raw)).toBe(`whatsapp:${bare}`);
  });
});

describe(normalizeWhatsappInbound.name, () => {
  it('reads the bare sender, the text, the keyword and the media', () => {
    const [m] = normalizeWhatsappInbound(
      request({
        MessageSid: 'SM1',
        From: 'whatsapp:+8613800138000',
        To: 'whatsapp:+14155238886',
        Body: 'STOP',
        ProfileName: 'Wang Fang',
        WaId: '8613800138000',
        NumMedia: '1',
        MediaUrl0: 'https://api.twilio.com/media/ME9',
        MediaContentType0: 'image/png',
      }),
    );
    expect(m).toMatchObject({
      channel: 'whatsapp',
      from: '+8613800138000',
      to: '+14155238886',
      providerMessageId: 'SM1',
      text: 'STOP',
      senderName: 'Wang Fang',
      attachments: [{ url: 'https://api.twilio.com/media/ME9', filename: 'ME9.png' }],
      metadata: { keyword: 'optout', waId: '8613800138000', idempotencyToken: 'tok-1' },
    });
  });

  it('makes nothing of a request without MessageSid or From', () => {
    expect(normalizeWhatsappInbound(request({ From: 'whatsapp:+86138' }))).toEqual([]);
    expect(normalizeWhatsappInbound(request({ MessageSid: 'SM2' }))).toEqual([]);
  });
});

describe(TwilioWhatsappAdapter.name, () => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN });
  });
  afterAll(() => fake.stop());

  it('sends with whatsapp: To and From and maps the status', async () => {
    const adapter = new TwilioWhatsappAdapter({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      from: '+14155238886',
      apiBaseUrl: fake.url,
    });
    const receipt = await adapter.send({
      messageId: 'm1',
      channel: 'whatsapp',
      to: '+8613800138000',
      text: '您好',
      statusCallbackUrl: 'https://hub.example/webhooks/twilio/status',
    });
    expect(receipt.status).toBe('queued');
    const sent = fake.messages.find((m) => m.sid === receipt.providerMessageId);
    expect(sent).toMatchObject({
      to: 'whatsapp:+8613800138000',
      from: 'whatsapp:+14155238886',
      body: '您好',
    });
    expect(
      adapter.parseStatus(
        request({ MessageSid: receipt.providerMessageId, MessageStatus: 'read' }),
      ),
    ).toEqual({ providerMessageId: receipt.providerMessageId, status: 'read' });
  });
});
