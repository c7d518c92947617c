import { createHash } from 'node:crypto';
import twilio from 'twilio';
import { verifyTwilioSignature } from '../../../channel-adapters/twilio-common/twilio-signature';
import { signTwilioRequest } from '../../support/fake-twilio';

const TOKEN = '12345678901234567890123456789012';
const URL_ = 'https://hub.example.com/webhooks/twilio/sms?tenant=a';
const PARAMS = {
  MessageSid: 'SM1',
  From: '+15551234567',
  To: '+15005550006',
  Body: 'STOP',
  NumMedia: '0',
};

describe(verifyTwilioSignature.name, () => {
  const signature = signTwilioRequest(TOKEN, URL_, PARAMS);

  it('accepts a request signed with the auth token over the public URL and every param', () => {
    expect(verifyTwilioSignature(TOKEN, URL_, { 'x-twilio-signature': signature }, PARAMS)).toBe(
      true,
    );
  });

  it('finds the header whatever its case', () => {
    expect(verifyTwilioSignature(TOKEN, URL_, { 'X-Twilio-Signature': signature }, PARAMS)).toBe(
      true,
    );
  });

  it('agrees with the SDK on what Twilio signs', () => {
    expect(signature).toBe(twilio.getExpectedTwilioSignature(TOKEN, URL_, PARAMS));
  });

  it('refuses a signature made with another token', () => {
    const forged = signTwilioRequest('0'.repeat(32), URL_, PARAMS);
    expect(verifyTwilioSignature(TOKEN, URL_, { 'x-twilio-signature': forged }, PARAMS)).toBe(
      false,
    );
  });

  it('refuses a tampered parameter', () => {
    expect(
      verifyTwilioSignature(
        TOKEN,
        URL_,
        { 'x-twilio-signature': signature },
        { ...PARAMS, Body: 'START' },
      ),
    ).toBe(false);
  });

  it('refuses an extra parameter the signature did not cover', () => {
    expect(
      verifyTwilioSignature(
        TOKEN,
        URL_,
        { 'x-twilio-signature': signature },
        { ...PARAMS, Extra: 'x' },
      ),
    ).toBe(false);
  });

  it('refuses a request validated against another URL (the internal one behind a proxy)', () => {
    const internal = 'http://10.0.0.5:3000/webhooks/twilio/sms?tenant=a';
    expect(
      verifyTwilioSignature(TOKEN, internal, { 'x-twilio-signature': signature }, PARAMS),
    ).toBe(false);
  });

  it('refuses a missing header or a missing token', () => {
    expect(verifyTwilioSignature(TOKEN, URL_, {}, PARAMS)).toBe(false);
    expect(verifyTwilioSignature('', URL_, { 'x-twilio-signature': signature }, PARAMS)).toBe(
      false,
    );
  });

  describe('JSON body with bodySHA256', () => {
    const raw = JSON.stringify({ event: 'delivered', sid: 'SM1' });
    const jsonUrl = `https://hub.example.com/webhooks/twilio/status?bodySHA256=${createHash('sha256').update(raw).digest('hex')}`;
    const jsonSignature = signTwilioRequest(TOKEN, jsonUrl, {});

    it('accepts the signed URL with a matching raw body', () => {
      expect(
        verifyTwilioSignature(
          TOKEN,
          jsonUrl,
          { 'x-twilio-signature': jsonSignature },
          JSON.parse(raw),
          Buffer.from(raw),
        ),
      ).toBe(true);
    });

    it('refuses a raw body whose hash does not match', () => {
      const tampered = Buffer.from(raw.replace('delivered', 'failed'));
      expect(
        verifyTwilioSignature(
          TOKEN,
          jsonUrl,
          { 'x-twilio-signature': jsonSignature },
          {},
          tampered,
        ),
      ).toBe(false);
    });
  });
});
