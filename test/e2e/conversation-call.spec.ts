import { DataSource } from 'typeorm';
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../support/fake-twilio';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const ACCOUNT_SID = `AC${'7a1b2c3d'.repeat(4)}`;
const AUTH_TOKEN = 'fake-call-token-456';
const PUBLIC_URL = 'https://hub.example.test';
const FROM = '+15005550006';
const VOICE = `${PUBLIC_URL}/webhooks/twilio/voice`;

let app: TestApp;
let fake: FakeTwilio;
let seq = 0;
const phone = () => `+86139002${String(31000 + ++seq).padStart(5, '0')}`;
const callSid = () => `CA${String(9000 + ++seq).padStart(32, '0')}`;

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
  });
  options.hubUrl = app.url;
});
afterAll(async () => {
  await app?.close();
  await fake?.stop();
});

/** A customer who called in: their voice conversation. */
async function voiceConversation(): Promise<{ id: string; number: string }> {
  const number = phone();
  const c = await app.api('POST', '/api/v1/customers', {
    displayName: '王芳',
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
    Direction: 'inbound',
  });
  expect(r.status).toBe(200);
  const [row] = (await app.hub.app
    .get(DataSource)
    .query(`SELECT id FROM conversations WHERE customer_id = $1`, [c.body.id])) as Array<{
    id: string;
  }>;
  return { id: row.id, number };
}

describe('Voice conversations: the reply channel and calls placed by agents', () => {
  it('tells the UI the channel a reply takes, and the reply takes it (SMS on the caller number)', async () => {
    const { id, number } = await voiceConversation();
    const detail = await app.api('GET', `/api/v1/conversations/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.lastChannel).toBe('voice');
    expect(detail.body.replyChannel).toBe('sms');
    const reply = await app.api('POST', `/api/v1/conversations/${id}/replies`, {
      text: '您好，我们收到了您的留言。',
    });
    expect(reply.status).toBe(202);
    expect(reply.body.route).toEqual({ channel: detail.body.replyChannel, address: number });
  });

  it('places a call through the Twilio Calls API and puts it on the timeline as a call item', async () => {
    const { id, number } = await voiceConversation();
    const r = await app.api('POST', `/api/v1/conversations/${id}/call`, {});
    expect(r.status).toBe(202);
    expect(r.body.address).toBe(number);
    const call = await eventually(
      async () => fake.calls.find((x) => x.to === number),
      'the Calls request',
    );
    expect(call.from).toBe(FROM);
    expect(call.twiml).toContain('Hello, this is customer support calling about your request.');
    const detail = await app.api('GET', `/api/v1/conversations/${id}`);
    const item = (detail.body.messages as Array<Record<string, unknown>>).find(
      (m) => m.id === r.body.messageId,
    );
    expect(item).toMatchObject({ kind: 'call', direction: 'outbound', channel: 'voice' });
  });
});
