import { DataSource } from 'typeorm';
import { OutboundService } from '../../src/delivery/outbound.service';
import { inBusinessHours } from '../../src/twilio/business-hours';
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../support/fake-twilio';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const ACCOUNT_SID = `AC${'5e6f7a8b'.repeat(4)}`;
const AUTH_TOKEN = 'fake-voice-token-123';
const PUBLIC_URL = 'https://hub.example.test';
const FROM = '+15005550006';
const VOICE = `${PUBLIC_URL}/webhooks/twilio/voice`;

let app: TestApp;
let fake: FakeTwilio;
let db: DataSource;
let seq = 0;
const phone = () => `+86139001${String(27000 + ++seq).padStart(5, '0')}`;
const callSid = () => `CA${String(++seq).padStart(32, '0')}`;

beforeAll(async () => {
  const options: FakeTwilioOptions = {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    publicUrl: PUBLIC_URL,
  };
  fake = await startFakeTwilio(options);
  app = await startTestApp({
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: FROM,
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_URL,
    BUSINESS_HOURS: 'Mon-Fri 09:00-18:00',
    BUSINESS_TIMEZONE: 'Asia/Shanghai',
  });
  options.hubUrl = app.url;
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
  await fake?.stop();
});

async function callItems(from: string) {
  return (await db.query(
    `SELECT m.* FROM messages m JOIN customer_identities i ON i.customer_id = m.customer_id WHERE i.address = $1 AND m.kind = 'call'`,
    [from],
  )) as Array<Record<string, any>>;
}

describe('Inbound calls and voicemail', () => {
  it('answers a call with the greeting, the business-hours message and a transcribed recording', async () => {
    const from = phone();
    const sid = callSid();
    const r = await fake.postWebhook(VOICE, {
      CallSid: sid,
      AccountSid: ACCOUNT_SID,
      From: from,
      To: FROM,
      CallStatus: 'ringing',
      Direction: 'inbound',
    });
    expect(r.status).toBe(200);
    expect(r.body).toContain(
      '<Say language="en-US">Thank you for calling. You have reached our customer service line.</Say>',
    );
    const open = inBusinessHours('Mon-Fri 09:00-18:00', 'Asia/Shanghai');
    expect(r.body).toContain(
      open ? 'Please leave a message after the tone' : 'We are closed right now',
    );
    expect(r.body).toContain(`action="${VOICE}/recording"`);
    expect(r.body).toContain(`transcribeCallback="${VOICE}/transcription"`);
    expect(r.body).toContain('transcribe="true"');
  });

  it('greets a customer whose locale is zh-CN in Mandarin', async () => {
    const number = phone();
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: '李雷',
      locale: 'zh-CN',
      identities: [{ channel: 'voice', address: number }],
    });
    expect(c.status).toBe(201);
    const r = await fake.postWebhook(VOICE, {
      CallSid: callSid(),
      AccountSid: ACCOUNT_SID,
      From: number,
      To: FROM,
      CallStatus: 'ringing',
    });
    expect(r.body).toContain('<Say language="zh-CN">感谢您的来电，这里是客户服务热线。</Say>');
  });

  it('puts call, recording, transcription and status callbacks on ONE call item with duration, recording URL and transcript', async () => {
    const from = phone();
    const sid = callSid();
    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${'1'.repeat(32)}`;
    expect(
      (
        await fake.postWebhook(VOICE, {
          CallSid: sid,
          AccountSid: ACCOUNT_SID,
          From: from,
          To: FROM,
          CallStatus: 'ringing',
        })
      ).status,
    ).toBe(200);
    const recording = await fake.postWebhook(`${VOICE}/recording`, {
      CallSid: sid,
      AccountSid: ACCOUNT_SID,
      RecordingSid: `RE${'1'.repeat(32)}`,
      RecordingUrl: recordingUrl,
      RecordingDuration: '17',
      RecordingStatus: 'completed',
    });
    expect(recording.status).toBe(200);
    expect(recording.body).toContain('<Hangup/>');
    const transcription = await fake.postWebhook(`${VOICE}/transcription`, {
      CallSid: sid,
      AccountSid: ACCOUNT_SID,
      TranscriptionSid: `TR${'2'.repeat(32)}`,
      TranscriptionStatus: 'completed',
      TranscriptionText: 'Hi, my order 4521 has not arrived, please call me back.',
      RecordingUrl: recordingUrl,
      RecordingSid: `RE${'1'.repeat(32)}`,
    });
    expect(transcription.status).toBe(200);
    const status = await fake.postWebhook(`${VOICE}/status`, {
      CallSid: sid,
      AccountSid: ACCOUNT_SID,
      From: from,
      To: FROM,
      CallStatus: 'completed',
      CallDuration: '42',
    });
    expect(status.status).toBe(200);

    const items = await callItems(from);
    expect(items).toHaveLength(1);
    const customerId = items[0].customer_id as string;
    const timeline = await app.api('GET', `/api/v1/customers/${customerId}/timeline`);
    expect(timeline.body.items).toHaveLength(1);
    expect(timeline.body.items[0]).toMatchObject({
      kind: 'call',
      channel: 'voice',
      direction: 'inbound',
      text: 'Hi, my order 4521 has not arrived, please call me back.',
      attachments: [expect.objectContaining({ url: recordingUrl, contentType: 'audio/wav' })],
    });
    expect(items[0].metadata).toMatchObject({
      duration: 42,
      recordingDuration: 17,
      recordingUrl,
      transcript: 'Hi, my order 4521 has not arrived, please call me back.',
      callStatus: 'completed',
    });
  });

  it('merges a recording callback that arrives before the call item, once the call is there', async () => {
    const from = phone();
    const sid = callSid();
    const recordingUrl = `https://api.twilio.com/recordings/RE${'3'.repeat(32)}`;
    const early = await fake.postWebhook(`${VOICE}/recording`, {
      CallSid: sid,
      AccountSid: ACCOUNT_SID,
      RecordingSid: `RE${'3'.repeat(32)}`,
      RecordingUrl: recordingUrl,
      RecordingDuration: '5',
    });
    expect(early.status).toBe(200);
    await fake.postWebhook(VOICE, {
      CallSid: sid,
      AccountSid: ACCOUNT_SID,
      From: from,
      To: FROM,
      CallStatus: 'ringing',
    });
    const item = await eventually(
      async () => {
        const [row] = await callItems(from);
        return row?.metadata?.recordingUrl ? row : null;
      },
      'the queued recording merged',
      20_000,
    );
    expect(item.text).toBe('Voicemail (5 s)');
  });

  it('refuses an unsigned call webhook and names a missing CallSid', async () => {
    const unsigned = await fetch(`${app.url}/webhooks/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ CallSid: callSid(), From: phone() }).toString(),
    });
    expect(unsigned.status).toBe(403);
    const missing = await fake.postWebhook(VOICE, { From: phone(), AccountSid: ACCOUNT_SID });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).message).toMatch(/^CallSid/);
  });
});

describe('Outbound notice calls', () => {
  it('calls with a Gather pointing at our gather URL; completed is delivered and the key press is read', async () => {
    const number = phone();
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: '王芳',
      locale: 'zh-CN',
      identities: [{ channel: 'voice', address: number }],
    });
    expect(c.status).toBe(201);
    const { message } = await app.hub.app.get(OutboundService).send({
      customerId: c.body.id,
      channel: 'voice',
      text: '紧急通知：您所在区域今晚停电。',
      purpose: 'service',
      urgency: 'critical',
      metadata: { locale: 'zh-CN' },
    });
    const call = await eventually(
      async () => fake.calls.find((x) => x.to === number),
      'the Calls request',
    );
    expect(call.from).toBe(FROM);
    expect(call.statusCallback).toBe(`${PUBLIC_URL}/webhooks/twilio/status`);
    const gatherUrl = `${VOICE}/gather?messageId=${message.id}`;
    expect(call.twiml).toContain(`action="${gatherUrl}"`);
    expect(call.twiml).toContain('<Say language="zh-CN">紧急通知：您所在区域今晚停电。</Say>');
    await eventually(
      async () =>
        (
          (await db.query(`SELECT 1 FROM delivery_attempts WHERE provider_message_id = $1`, [
            call.sid,
          ])) as unknown[]
        ).length > 0,
      'the attempt',
    );

    expect((await fake.sendStatusCallback(call.sid, 'completed')).status).toBe(200);
    const status = async () =>
      (
        (await db.query(`SELECT status FROM messages WHERE id = $1`, [message.id])) as Array<{
          status: string;
        }>
      )[0].status;
    expect(await status()).toBe('delivered');
    const pressed = await fake.postWebhook(gatherUrl, {
      CallSid: call.sid,
      AccountSid: ACCOUNT_SID,
      Digits: '1',
      From: FROM,
      To: number,
    });
    expect(pressed.status).toBe(200);
    expect(pressed.body).toContain('<Hangup/>');
    expect(await status()).toBe('read');
    // A late in-progress callback does not undo it.
    await fake.sendStatusCallback(call.sid, 'in-progress');
    expect(await status()).toBe('read');
  });
});

describe(inBusinessHours.name, () => {
  it.each([
    ['Mon-Fri 09:00-18:00', 'Asia/Shanghai', '2026-11-23T01:00:00Z', true], // Mon 09:00 in Shanghai
    ['Mon-Fri 09:00-18:00', 'Asia/Shanghai', '2026-11-23T00:59:00Z', false], // Mon 08:59
    ['Mon-Fri 09:00-18:00', 'Asia/Shanghai', '2026-11-23T10:00:00Z', false], // Mon 18:00 (end excluded)
    ['Mon-Fri 09:00-18:00', 'UTC', '2026-11-22T12:00:00Z', false], // Sunday
    ['Mon-Fri 09:00-18:00, Sat 10:00-14:00', 'UTC', '2026-11-21T11:00:00Z', true], // Saturday range
    ['Sat-Mon 08:00-20:00', 'UTC', '2026-11-22T12:00:00Z', true], // a span wrapping the week
  ])('%s in %s at %s -> %s', (spec, tz, at, expected) => {
    expect(inBusinessHours(spec, tz, new Date(at))).toBe(expected);
  });
});
