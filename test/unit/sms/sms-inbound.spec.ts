import type { InboundRequest } from '../../../src/channels/channel-port';
import { normalizeSmsInbound, mediaFilename } from '../../../channel-adapters/sms/sms-inbound';
import { mapTwilioMessageStatus, parseSmsStatus } from '../../../channel-adapters/sms/sms-status';

const ACCOUNT = 'AC' + '1'.repeat(32);

function request(
  body: Record<string, unknown>,
  headers: InboundRequest['headers'] = {},
): InboundRequest {
  return { url: 'https://hub.example.com/webhooks/twilio/sms', method: 'POST', headers, body };
}

describe(normalizeSmsInbound.name, () => {
  it('normalizes an MMS with two media items and its metadata', () => {
    const base = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/MM123/Media`;
    const [message, ...rest] = normalizeSmsInbound(
      request(
        {
          MessageSid: 'MM123',
          AccountSid: ACCOUNT,
          MessagingServiceSid: 'MG42',
          From: '+8613800138000',
          To: '+15005550006',
          Body: '看看这张照片',
          NumMedia: '2',
          MediaUrl0: `${base}/ME1`,
          MediaContentType0: 'image/jpeg',
          MediaUrl1: `${base}/ME2.pdf`,
          MediaContentType1: 'application/pdf',
        },
        { 'i-twilio-idempotency-token': 'tok-1' },
      ),
    );
    expect(rest).toHaveLength(0);
    expect(message).toEqual({
      channel: 'sms',
      kind: 'message',
      from: '+8613800138000',
      to: '+15005550006',
      providerMessageId: 'MM123',
      text: '看看这张照片',
      attachments: [
        { url: `${base}/ME1`, contentType: 'image/jpeg', filename: 'ME1.jpg', size: 0 },
        { url: `${base}/ME2.pdf`, contentType: 'application/pdf', filename: 'ME2.pdf', size: 0 },
      ],
      metadata: {
        keyword: undefined,
        idempotencyToken: 'tok-1',
        accountSid: ACCOUNT,
        messagingServiceSid: 'MG42',
      },
    });
  });

  it('marks a STOP message as an opt-out', () => {
    const [message] = normalizeSmsInbound(
      request({
        MessageSid: 'SM1',
        From: '+15551234567',
        To: '+15005550006',
        Body: ' Stop! ',
        NumMedia: '0',
      }),
    );
    expect(message?.metadata?.keyword).toBe('optout');
    expect(message?.attachments).toBeUndefined();
  });

  it('trusts Twilio Advanced Opt-Out when the body is a custom keyword', () => {
    const [message] = normalizeSmsInbound(
      request({ MessageSid: 'SM2', From: '+1555', Body: 'ARRET', OptOutType: 'STOP' }),
    );
    expect(message?.metadata?.keyword).toBe('optout');
  });

  it('reads the idempotency header whatever its case', () => {
    const [message] = normalizeSmsInbound(
      request(
        { MessageSid: 'SM3', From: '+1555', Body: 'hi' },
        { 'I-Twilio-Idempotency-Token': ['a', 'b'] },
      ),
    );
    expect(message?.metadata?.idempotencyToken).toBe('a');
  });

  it('yields nothing for a body without MessageSid or From', () => {
    expect(normalizeSmsInbound(request({ From: '+1555', Body: 'hi' }))).toEqual([]);
    expect(normalizeSmsInbound(request({ MessageSid: 'SM4', Body: 'hi' }))).toEqual([]);
  });
});

describe(mediaFilename.name, () => {
  it('names media without a path after its index', () => {
    expect(mediaFilename('https://example.com/', 'image/png', 3)).toBe('media-3.png');
    expect(mediaFilename('not a url', 'application/x-unknown', 0)).toBe('media-0');
  });
});

describe(parseSmsStatus.name, () => {
  it('reads MessageSid, MessageStatus and ErrorCode', () => {
    expect(
      parseSmsStatus(
        request({ MessageSid: 'SM9', MessageStatus: 'undelivered', ErrorCode: '30006' }),
      ),
    ).toEqual({ providerMessageId: 'SM9', status: 'undelivered', errorCode: '30006' });
    expect(parseSmsStatus(request({ MessageSid: 'SM9', MessageStatus: 'delivered' }))).toEqual({
      providerMessageId: 'SM9',
      status: 'delivered',
    });
  });

  it('ignores inbound-only and unknown statuses', () => {
    expect(parseSmsStatus(request({ MessageSid: 'SM9', MessageStatus: 'received' }))).toBeNull();
    expect(parseSmsStatus(request({ MessageStatus: 'sent' }))).toBeNull();
  });

  it.each([
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['queued', 'queued'],
    ['sending', 'queued'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['partially_delivered', 'delivered'],
    ['read', 'read'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['undelivered', 'undelivered'],
    ['receiving', null],
  ])('maps Twilio %s to %s', (twilioStatus, ours) => {
    expect(mapTwilioMessageStatus(twilioStatus)).toBe(ours);
  });
});
