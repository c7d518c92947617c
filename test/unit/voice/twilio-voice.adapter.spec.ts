import { TwilioVoiceAdapter } from '../../../channel-adapters/voice/twilio-voice.adapter';
import { signTwilioRequest, startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';

const ACCOUNT = 'AC' + 'd'.repeat(32);
const TOKEN = 'e'.repeat(32);

describe(TwilioVoiceAdapter.name, () => {
  let fake: FakeTwilio;
  let voice: TwilioVoiceAdapter;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN });
    voice = new TwilioVoiceAdapter({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      from: '+15005550006',
      apiBaseUrl: fake.url,
    });
  });
  afterAll(() => fake.stop());

  it('places a call whose TwiML speaks the text and gathers a key', async () => {
    const receipt = await voice.send({
      messageId: 'm1',
      channel: 'voice',
      to: '+8613800138000',
      text: '停电通知',
      locale: 'zh-CN',
      statusCallbackUrl: 'https://hub.example.com/webhooks/twilio/voice/status',
      metadata: { gatherUrl: 'https://hub.example.com/webhooks/twilio/voice/gather' },
    });
    expect(receipt).toMatchObject({
      status: 'queued',
      providerMessageId: expect.stringMatching(/^CA[0-9a-f]{32}$/),
    });
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
    expect(request.params).toMatchObject({
      To: '+8613800138000',
      From: '+15005550006',
      StatusCallback: 'https://hub.example.com/webhooks/twilio/voice/status',
      StatusCallbackEvent: ['answered', 'completed'],
    });
    expect(request.params.Twiml).toContain(
      '<Gather numDigits="1" action="https://hub.example.com/webhooks/twilio/voice/gather"',
    );
    expect(request.params.Twiml).toContain('<Say language="zh-CN">停电通知</Say>');
  });

  it('classifies a failed call create', async () => {
    fake.setNextError(21211, 400);
    await expect(
      voice.send({ messageId: 'm2', channel: 'voice', to: '+1', text: 'x' }),
    ).rejects.toMatchObject({
      errorClass: 'permanent',
      providerCode: '21211',
    });
  });

  it('verifies a signed voice webhook and normalizes it', () => {
    const url = 'https://hub.example.com/webhooks/twilio/voice/recording';
    const body = {
      CallSid: 'CA1',
      RecordingSid: 'RE1',
      RecordingUrl: 'https://api.twilio.com/r/RE1',
      RecordingDuration: '7',
    };
    const request = {
      url,
      method: 'POST',
      headers: { 'x-twilio-signature': signTwilioRequest(TOKEN, url, body) },
      body,
    };
    expect(voice.verify(request)).toBe(true);
    expect(voice.verify({ ...request, body: { ...body, RecordingDuration: '8' } })).toBe(false);
    expect(voice.normalizeInbound(request)).toEqual([
      expect.objectContaining({ kind: 'call', providerMessageId: 'CA1', text: 'Voicemail (7 s)' }),
    ]);
  });

  it('reads call status callbacks', () => {
    const body = { CallSid: 'CA2', CallStatus: 'no-answer' };
    expect(voice.parseStatus({ url: '', method: 'POST', headers: {}, body })).toEqual({
      providerMessageId: 'CA2',
      status: 'undelivered',
    });
  });
});
