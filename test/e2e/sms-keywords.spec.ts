import { DataSource } from 'typeorm';
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../support/fake-twilio';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * SMS keywords as customers write them (退订, ＳＴＯＰ, 订阅...), through a Twilio-signed webhook
 * and through the sandbox's inbound endpoint: both must change consent the same way and confirm
 * in the customer's language. One hub serves both: Twilio's token checks the webhooks while
 * CHANNELS_SANDBOX keeps SMS on the sandbox transport, so the sandbox endpoint is open too.
 */

const ACCOUNT_SID = `AC${'5e6f7a8b'.repeat(4)}`;
const AUTH_TOKEN = 'fake-auth-token-keywords';
const PUBLIC_URL = 'http://public.example.test';
const HUB_NUMBER = '+15005550006';
/** A configured text: overrides keep working. */
const OPTOUT_EN = 'Acme: you are unsubscribed. Reply START to come back.';

const OPTOUT_ZH = '您已退订，将不再收到我们的短信。回复“订阅”可重新订阅。';
const OPTIN_ZH = '您已重新订阅，将继续收到我们的短信。回复“退订”即可退订。';
const HELP_ZH =
  '直接回复本号码即可联系客服，短信费用按运营商标准收取。回复“退订”退订，回复“订阅”重新订阅。';

let app: TestApp;
let fake: FakeTwilio;
let db: DataSource;
let seq = 0;
const phone = () => `+86139001${String(52000 + ++seq).padStart(5, '0')}`;
const sid = () => `SM${String(7_000_000 + ++seq).padStart(32, '0')}`;

const twiml = (text: string) => `<Response><Message>${text}</Message></Response>`;

function smsIn(from: string, body: string, messageSid = sid()) {
  return fake.postWebhook(`${PUBLIC_URL}/webhooks/twilio/sms`, {
    AccountSid: ACCOUNT_SID,
    MessageSid: messageSid,
    From: from,
    To: HUB_NUMBER,
    Body: body,
    NumMedia: '0',
  });
}

function sandboxIn(from: string, text: string, id?: string) {
  return app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text, id });
}

async function customer(locale?: string): Promise<{ id: string; phone: string }> {
  const number = phone();
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: '王芳',
    ...(locale ? { locale } : {}),
    identities: [{ channel: 'sms', address: number }],
  });
  expect(r.status).toBe(201);
  return { id: r.body.id, phone: number };
}

async function customerOf(address: string): Promise<string> {
  return eventually(async () => {
    const rows = (await db.query(
      `SELECT customer_id FROM customer_identities WHERE kind = 'phone' AND address = $1`,
      [address],
    )) as Array<{ customer_id: string }>;
    return rows[0]?.customer_id;
  }, `the customer of ${address}`);
}

interface ConsentRow {
  purpose: string;
  status: string;
  source: string;
  evidence: Record<string, unknown>;
}

async function smsConsents(customerId: string): Promise<ConsentRow[]> {
  return (await db.query(
    `SELECT purpose, status, source, evidence FROM consents WHERE customer_id = $1 AND channel = 'sms' ORDER BY seq`,
    [customerId],
  )) as ConsentRow[];
}

function consentsCount(customerId: string, n: number): Promise<ConsentRow[]> {
  return eventually(async () => {
    const rows = await smsConsents(customerId);
    return rows.length === n ? rows : null;
  }, `${n} SMS consent rows`);
}

/** The inbound job of this MessageSid has run. */
async function jobDone(messageSid: string): Promise<void> {
  await eventually(async () => {
    const r = (await db.query(`SELECT status FROM outbox_jobs WHERE dedupe_key = $1`, [
      `twilio-sms:${messageSid}`,
    ])) as Array<{ status: string }>;
    return r[0]?.status === 'done';
  }, `the inbound job of ${messageSid}`);
}

async function messageIdOf(customerId: string, text: string): Promise<string> {
  const rows = (await db.query(
    `SELECT id FROM messages WHERE customer_id = $1 AND direction = 'inbound' AND text = $2`,
    [customerId, text],
  )) as Array<{ id: string }>;
  expect(rows).toHaveLength(1);
  return rows[0].id;
}

async function outboxTo(address: string): Promise<Array<{ text: string; channel: string }>> {
  const r = await app.api(
    'GET',
    `/api/v1/sandbox/outbox?channel=sms&to=${encodeURIComponent(address)}`,
  );
  expect(r.status).toBe(200);
  return r.body.items;
}

/** The revocation of every SMS purpose by one keyword message. */
function expectRevokedByKeyword(rows: ConsentRow[], evidence: Record<string, unknown>) {
  expect(rows.map((c) => c.purpose).sort()).toEqual(['marketing', 'service', 'transactional']);
  for (const row of rows) {
    expect(row).toEqual({
      purpose: row.purpose,
      status: 'revoked',
      source: 'sms-keyword',
      evidence: { ...evidence, keyword: 'optout' },
    });
  }
}

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
    TWILIO_FROM: HUB_NUMBER,
    TWILIO_API_BASE_URL: fake.url,
    CHANNELS_SANDBOX: 'sms',
    PUBLIC_URL,
    SMS_OPTOUT_TEXT: OPTOUT_EN,
  });
  options.hubUrl = app.url;
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
  await fake?.stop();
});

describe('SMS keywords through the Twilio webhook', () => {
  it('退订 from a zh customer revokes every SMS purpose as STOP does, answered in Chinese', async () => {
    const zh = await customer('zh-CN');
    const messageSid = sid();
    const r = await smsIn(zh.phone, '退订', messageSid);
    expect(r.status).toBe(200);
    expect(r.body).toBe(twiml(OPTOUT_ZH));
    const rows = await consentsCount(zh.id, 3);
    expectRevokedByKeyword(rows, {
      messageId: await messageIdOf(zh.id, '退订'),
      body: '退订',
      transport: 'twilio',
    });

    // STOP from another zh customer: the same rows, the same Chinese answer.
    const other = await customer('zh-CN');
    expect((await smsIn(other.phone, 'STOP')).body).toBe(twiml(OPTOUT_ZH));
    expectRevokedByKeyword(await consentsCount(other.id, 3), {
      messageId: await messageIdOf(other.id, 'STOP'),
      body: 'STOP',
      transport: 'twilio',
    });
  });

  it('reads full-width ＳＴＯＰ and ｔｄ as opt-outs; a new number is answered in the keyword’s language', async () => {
    const english = phone();
    expect((await smsIn(english, 'ＳＴＯＰ')).body).toBe(twiml(OPTOUT_EN));
    expect((await consentsCount(await customerOf(english), 3)).map((c) => c.status)).toEqual([
      'revoked',
      'revoked',
      'revoked',
    ]);
    const chinese = phone();
    expect((await smsIn(chinese, ' ｔｄ。')).body).toBe(twiml(OPTOUT_ZH));
    await consentsCount(await customerOf(chinese), 3);
  });

  it('订阅 resubscribes after 退订 (transactional and service), answered in Chinese', async () => {
    const zh = await customer('zh-CN');
    await smsIn(zh.phone, '退订');
    await consentsCount(zh.id, 3);
    expect((await smsIn(zh.phone, '订阅')).body).toBe(twiml(OPTIN_ZH));
    const rows = await consentsCount(zh.id, 5);
    expect(rows.slice(3).map((c) => [c.purpose, c.status, c.source, c.evidence.keyword])).toEqual([
      ['transactional', 'granted', 'sms-keyword', 'optin'],
      ['service', 'granted', 'sms-keyword', 'optin'],
    ]);
  });

  it('records a MessageSid delivered twice, and twice at once, once', async () => {
    const zh = await customer('zh-CN');
    const messageSid = sid();
    await smsIn(zh.phone, '退订', messageSid);
    await jobDone(messageSid);
    const again = await smsIn(zh.phone, '退订', messageSid);
    // Twilio retries when it did not get the answer: the retry is answered too.
    expect(again.body).toBe(twiml(OPTOUT_ZH));
    const twice = sid();
    await Promise.all([smsIn(zh.phone, 'TD', twice), smsIn(zh.phone, 'TD', twice)]);
    await jobDone(twice);
    expect(await smsConsents(zh.id)).toHaveLength(6);
  });

  it('leaves "退订吗?" and "STOP please" to the agents: no consent change, no answer', async () => {
    const zh = await customer('zh-CN');
    for (const body of ['退订吗?', 'STOP please']) {
      const messageSid = sid();
      expect((await smsIn(zh.phone, body, messageSid)).body).toBe('<Response/>');
      await jobDone(messageSid);
    }
    expect(await smsConsents(zh.id)).toEqual([]);
  });

  it('answers 帮助 and HELP from a zh customer with the Chinese help text', async () => {
    const zh = await customer('zh-CN');
    expect((await smsIn(zh.phone, '帮助')).body).toBe(twiml(HELP_ZH));
    expect((await smsIn(zh.phone, 'help')).body).toBe(twiml(HELP_ZH));
  });
});

describe('SMS keywords through the sandbox', () => {
  it('退订 from a zh customer revokes every SMS purpose as the webhook does; the Chinese confirmation is in the outbox', async () => {
    const zh = await customer('zh-CN');
    const r = await sandboxIn(zh.phone, '退订');
    expect(r.status).toBe(201);
    const rows = await smsConsents(zh.id);
    expectRevokedByKeyword(rows, { messageId: r.body.id, body: '退订', transport: 'sandbox' });
    const outbox = await outboxTo(zh.phone);
    expect(outbox.map((o) => o.text)).toEqual([OPTOUT_ZH]);
  });

  it('reads full-width ＳＴＯＰ: English for a new number, Chinese for a zh customer', async () => {
    const number = phone();
    const r = await sandboxIn(number, 'ＳＴＯＰ');
    expect(r.status).toBe(201);
    expect((await smsConsents(await customerOf(number))).map((c) => c.status)).toEqual([
      'revoked',
      'revoked',
      'revoked',
    ]);
    expect((await outboxTo(number)).map((o) => o.text)).toEqual([OPTOUT_EN]);
    // A zh customer's ＳＴＯＰ is confirmed in Chinese.
    const zh = await customer('zh-CN');
    await sandboxIn(zh.phone, 'ＳＴＯＰ');
    expect(await smsConsents(zh.id)).toHaveLength(3);
    expect((await outboxTo(zh.phone)).map((o) => o.text)).toEqual([OPTOUT_ZH]);
  });

  it('订阅 resubscribes after 退订, confirmed in Chinese', async () => {
    const zh = await customer('zh-CN');
    await sandboxIn(zh.phone, '退订');
    await sandboxIn(zh.phone, '订阅');
    const rows = await smsConsents(zh.id);
    expect(rows.map((c) => [c.purpose, c.status])).toEqual([
      ['transactional', 'revoked'],
      ['service', 'revoked'],
      ['marketing', 'revoked'],
      ['transactional', 'granted'],
      ['service', 'granted'],
    ]);
    expect((await outboxTo(zh.phone)).map((o) => o.text)).toEqual([OPTIN_ZH, OPTOUT_ZH]);
  });

  it('records a message id delivered twice, and twice at once, once, and confirms it once', async () => {
    const zh = await customer('zh-CN');
    await sandboxIn(zh.phone, '退订', 'sandbox-dup-1');
    await sandboxIn(zh.phone, '退订', 'sandbox-dup-1');
    await Promise.all([
      sandboxIn(zh.phone, '取消', 'sandbox-dup-2'),
      sandboxIn(zh.phone, '取消', 'sandbox-dup-2'),
    ]);
    expect(await smsConsents(zh.id)).toHaveLength(6);
    expect((await outboxTo(zh.phone)).map((o) => o.text)).toEqual([OPTOUT_ZH, OPTOUT_ZH]);
  });

  it('answers 帮助 without touching consent, and leaves an ordinary message alone', async () => {
    const number = phone();
    await sandboxIn(number, '帮助');
    await sandboxIn(number, '退订吗？');
    expect(await smsConsents(await customerOf(number))).toEqual([]);
    expect((await outboxTo(number)).map((o) => o.text)).toEqual([HELP_ZH]);
  });
});
