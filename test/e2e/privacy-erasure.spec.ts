import Redis from 'ioredis';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { wechatPuppetOverride } from '../../src/channels/wechat-puppet';
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../support/fake-twilio';
import { orderShippedIntent } from '../support/intents';
import { TEST_REDIS_URL, useRedis } from '../support/services';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const ACCOUNT_SID = `AC${'9e8d7c6b'.repeat(4)}`;
const AUTH_TOKEN = 'fake-erasure-token-123';
const PUBLIC_URL = 'https://hub.erasure.test';
const HUB_NUMBER = '+15005550006';
const SECRET = 'erasure-inbound-secret';

// What the customer is, and everything they sent or were sent: each must be found before the
// erasure (the dump sees it) and nowhere after.
const NAME = 'Zelda Quernsby-Vantablack';
const DUP_NAME = 'Zed Pommelhorst-Alterego';
const EMAIL = 'zelda.quernsby@erasure-test.example';
const DUP_EMAIL = 'zed.pommelhorst@erasure-test.example';
const PHONE = '+8613907010442';
const MAIL_ID = `order-5521.${EMAIL}`;
const EMAIL_SUBJECT = 'Refund for order quibble-5521';
const EMAIL_TEXT = 'Kumquat invoice 88431 never arrived';
const ATTACHMENT_NAME = 'zelda-passport-5521.txt';
const ATTACHMENT_TEXT = 'passport scan xylophone 5521';
const SMS_TEXT = 'Sms text wobblefritz 7719';
const TRANSCRIPT = 'Voicemail transcript gargantuan 3301';
const WECHAT_TEXT = '微信 zugzwang 4410';
const CHAT_TEXT = 'Livechat text flibbertigibbet 9023';
const CLAIMED_NAME = 'Zelly Claimed-Nickname 4242';
const REPLIES = {
  email: 'Reply by email plonk-1101',
  sms: 'Reply by sms plonk-1102',
  voice: 'Reply by phone plonk-1103',
  wechat: 'Reply by wechat plonk-1104',
  livechat: 'Reply in chat plonk-1105',
};
const NOTE = 'Note on zelda nimbostratus 6612 @mention';
const FOLLOW_UP = 'Follow up with zelda quagmire 2290';
const TAG = 'vip-zelda-8812';
const CONVERSATION_TAG = 'conv-zelda-8813';
/** The campaign's segment: the campaign holds it, so it is no needle. */
const SEGMENT = 'erasure-segment';
const ATTRIBUTE = 'LC-99812-zelda';
const DUP_ATTRIBUTE = 'dup-attr-5566-zed';
const EVIDENCE = 'signup-evidence-3345-zelda';
const ORDER = 'ORD-ZELDA-6071';

let app: TestApp;
let fake: FakeTwilio;
let db: DataSource;
let redis: Redis | undefined;
let mocker: mock.Mocker;
const sockets: Socket[] = [];

beforeAll(async () => {
  const options: FakeTwilioOptions = {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    publicUrl: PUBLIC_URL,
  };
  fake = await startFakeTwilio(options);
  mocker = new mock.Mocker();
  wechatPuppetOverride.puppet = new PuppetMock({ mocker });
  app = await startTestApp({
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: HUB_NUMBER,
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_URL,
    WECHATY_PUPPET: 'wechaty-puppet-mock',
    EMAIL_WEBHOOK_SECRET: SECRET,
    MARKETING_CAP_PER_DAY: '10',
    MARKETING_CAP_PER_WEEK: '10',
    // The customer writes on every channel, so has an open conversation: the campaign must still
    // reach them for its message to be erased too.
    CONTACT_BUDGET_HOLD_OPEN_CONVERSATION: 'false',
  });
  options.hubUrl = app.url;
  db = app.hub.app.get(DataSource);
  if (useRedis()) redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
  await fake?.stop();
  wechatPuppetOverride.puppet = null;
  redis?.disconnect();
});

const q = async <T = Record<string, any>>(sql: string, params: unknown[] = []) =>
  (await db.query(sql, params)) as T[];

async function ok<T = any>(method: string, path: string, body?: unknown, status = [200, 201, 202]) {
  const r = await app.api<T>(method, path, body);
  if (!status.includes(r.status))
    throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Every row of every table of the public schema, as text, by table. */
async function dumpDatabase(): Promise<Map<string, string>> {
  const tables = await q<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out = new Map<string, string>();
  for (const { name } of tables) {
    const rows = await q<{ r: string }>(`SELECT t::text AS r FROM "${name}" t`);
    out.set(name, rows.map((row) => row.r).join('\n'));
  }
  return out;
}

/** Every BullMQ key under this test's prefix, with its content, as text. */
async function dumpRedis(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!redis) return out;
  const keys = await redis.keys(`{${app.env.QUEUE_PREFIX}}:*`);
  for (const key of keys) {
    const type = await redis.type(key);
    // Gone between KEYS and TYPE (a job lock that lapsed, a finished job removed): nothing to read.
    if (type === 'none') continue;
    let value: unknown;
    if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'string') value = await redis.get(key);
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = await redis.smembers(key);
    else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'stream') value = await redis.xrange(key, '-', '+');
    // A key removed after TYPE reads as null or an empty value, which holds no needle either.
    out.set(key, JSON.stringify(value) ?? '');
  }
  return out;
}

/** Where each needle occurs (case-insensitive): needle -> names of the tables or keys. */
function hits(needles: string[], dump: Map<string, string>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const needle of needles) {
    const n = needle.toLowerCase();
    const where = [...dump].filter(([, text]) => text.toLowerCase().includes(n)).map(([k]) => k);
    if (where.length) found.set(needle, where);
  }
  return found;
}

function rawEmail(): string {
  const b = 'erasure-5521';
  return [
    `From: "${NAME}" <${EMAIL}>`,
    'To: support@localhost',
    `Subject: ${EMAIL_SUBJECT}`,
    `Message-ID: <${MAIL_ID}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    EMAIL_TEXT,
    `--${b}`,
    `Content-Type: text/plain; name="${ATTACHMENT_NAME}"`,
    `Content-Disposition: attachment; filename="${ATTACHMENT_NAME}"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(ATTACHMENT_TEXT).toString('base64'),
    `--${b}--`,
    '',
  ].join('\r\n');
}

describe('DELETE /api/v1/customers/:id (erasure)', () => {
  it('leaves none of what a customer of every channel sent, or was sent, in any table or queue', async () => {
    // The bot logs in; the customer is known on e-mail, SMS and WeChat.
    const bot = mocker.createContact({ name: 'Acme 客服' });
    const contact = mocker.createContact({ name: 'Zelda 微信' });
    mocker.login(bot);
    await eventually(async () => {
      const h = (await (await fetch(`${app.url}/health`)).json()) as any;
      const ch = (h.details ?? h.info ?? h.error ?? {}).channels?.wechat;
      return ch?.details?.state === 'logged-in';
    }, 'the WeChat login');
    const main = await ok('POST', '/api/v1/customers', {
      displayName: NAME,
      identities: [
        { channel: 'email', address: EMAIL },
        { channel: 'sms', address: PHONE },
        { channel: 'wechat', address: contact.id },
      ],
      attributes: { loyaltyCard: ATTRIBUTE },
      tags: [TAG, SEGMENT],
    });
    const id = main.id as string;
    await ok('POST', `/api/v1/customers/${id}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      status: 'granted',
      source: 'signup form',
      evidence: { form: EVIDENCE },
    });

    // E-mail in, with an attachment.
    const mail = await fetch(`${app.url}/webhooks/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-webhook-secret': SECRET },
      body: rawEmail(),
    });
    expect(mail.status).toBe(202);
    // SMS in, signed as Twilio signs it (queued, then ingested by its job).
    const smsSid = `SM${'7'.repeat(32)}`;
    const sms = await fake.postWebhook(`${PUBLIC_URL}/webhooks/twilio/sms`, {
      AccountSid: ACCOUNT_SID,
      MessageSid: smsSid,
      From: PHONE,
      To: HUB_NUMBER,
      Body: SMS_TEXT,
      NumMedia: '0',
    });
    expect(sms.status).toBe(200);
    // A call: its transcription arrives before the call itself, so it waits as a job.
    const callSid = `CA${'3'.repeat(32)}`;
    const voice = `${PUBLIC_URL}/webhooks/twilio/voice`;
    await fake.postWebhook(`${voice}/transcription`, {
      CallSid: callSid,
      AccountSid: ACCOUNT_SID,
      TranscriptionSid: `TR${'4'.repeat(32)}`,
      TranscriptionStatus: 'completed',
      TranscriptionText: TRANSCRIPT,
    });
    for (const [path, extra] of [
      ['', { CallStatus: 'ringing' }],
      ['/status', { CallStatus: 'completed', CallDuration: '12' }],
    ] as const)
      expect(
        (
          await fake.postWebhook(`${voice}${path}`, {
            CallSid: callSid,
            AccountSid: ACCOUNT_SID,
            From: PHONE,
            To: HUB_NUMBER,
            ...extra,
          })
        ).status,
      ).toBe(200);
    // WeChat in.
    contact.say(WECHAT_TEXT).to(bot);
    const conversation = await eventually(async () => {
      const rows = await q(
        `SELECT conversation_id FROM messages WHERE customer_id = $1 AND direction = 'inbound'
         GROUP BY conversation_id HAVING count(DISTINCT channel) = 4`,
        [id],
      );
      return rows[0]?.conversation_id as string | undefined;
    }, 'e-mail, SMS, call and WeChat on one conversation');
    await eventually(
      async () =>
        (await q(`SELECT 1 FROM messages WHERE customer_id = $1 AND text = $2`, [id, TRANSCRIPT]))
          .length > 0,
      'the transcription merged into the call',
    );

    // Live chat: a visitor of its own, merged into the customer later.
    const socket = io(`${app.url}/chat`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const session = await new Promise<{ visitorId: string }>((resolve) =>
      socket.once('session', resolve),
    );
    const ack = (await socket.emitWithAck('message', { text: CHAT_TEXT })) as { id?: string };
    expect(ack.id).toEqual(expect.any(String));
    // The visitor claims the customer's address, unproven: a claim row and a code sent to her.
    expect(
      await socket.emitWithAck('identify', { name: CLAIMED_NAME, email: EMAIL }),
    ).toMatchObject({ verified: false });
    const visitor = await eventually(async () => {
      const r = await app.api(
        'GET',
        `/api/v1/customers?identity=livechat:${encodeURIComponent(session.visitorId)}`,
      );
      return r.status === 200 ? (r.body.id as string) : null;
    }, 'the visitor customer');
    const [chat] = await q(`SELECT id FROM conversations WHERE customer_id = $1`, [visitor]);
    const chatReply = new Promise<{ text: string }>((resolve) =>
      socket.on('message', (m: { text: string; direction: string }) => {
        if (m.direction === 'outbound') resolve(m);
      }),
    );
    await ok('POST', `/api/v1/conversations/${chat.id}/replies`, {
      text: REPLIES.livechat,
      channel: 'livechat',
    });
    expect((await chatReply).text).toBe(REPLIES.livechat);

    // Replies out on each channel, a note with a mention, a follow-up, tags.
    const wechatReached = new Promise<void>((resolve) =>
      contact.on('message', (m: { payload: { text?: string } }) => {
        if (m.payload.text === REPLIES.wechat) resolve();
      }),
    );
    for (const channel of ['email', 'sms', 'voice', 'wechat'] as const)
      await ok('POST', `/api/v1/conversations/${conversation}/replies`, {
        text: REPLIES[channel],
        channel,
      });
    await wechatReached;
    await app.userToken('agent', 'Mention Target');
    await ok('POST', `/api/v1/conversations/${conversation}/notes`, { text: NOTE });
    await ok('POST', `/api/v1/conversations/${conversation}/follow-ups`, {
      at: new Date(Date.now() + 86_400_000).toISOString(),
      note: FOLLOW_UP,
    });
    await ok('POST', `/api/v1/conversations/${conversation}/tags`, { tags: [CONVERSATION_TAG] });
    // Each send has run (Twilio answers an SMS `queued`; its callbacks follow).
    await eventually(
      async () =>
        (
          await q(
            `SELECT 1 FROM outbox_jobs j JOIN messages m ON m.id::text = j.payload->>'messageId'
             WHERE j.name = 'send' AND j.status <> 'done' AND m.customer_id = $1`,
            [id],
          )
        ).length === 0,
      'the replies sent',
    );

    // A routed notification: sent, with its fallback check queued for later.
    const routed = await ok('POST', '/api/v1/messages', orderShippedIntent(id, ORDER));
    const fallback = await eventually(async () => {
      const rows = await q(
        `SELECT id, queue, run_at FROM outbox_jobs WHERE name = 'fallback-check' AND payload->>'messageId' = $1 AND status = 'pending'`,
        [routed.messageId],
      );
      return rows[0];
    }, 'the queued fallback check');

    // A campaign with a personalised tracked link, opened and clicked.
    await ok('POST', '/api/v1/templates', {
      key: 'erasure-sale',
      channel: 'email',
      locale: 'en',
      subject: 'Sale for {{customer.name}}',
      body: `<p>Hi {{customer.name}}: <a href="https://shop.example.com/sale?ref=erasure">Shop</a> <a href="{{unsubscribeUrl}}">Unsubscribe</a></p>`,
    });
    const campaign = await ok('POST', '/api/v1/campaigns', {
      name: 'Erasure sale',
      segment: { tags: [SEGMENT] },
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'erasure-sale',
    });
    await ok('POST', `/api/v1/campaigns/${campaign.id}/launch`);
    const sent = await eventually(async () => {
      const rows = await q(
        `SELECT m.html FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1 AND r.customer_id = $2`,
        [campaign.id, id],
      );
      return rows[0]?.html as string | undefined;
    }, 'the campaign message');
    const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, app.url);
    const pixel = /src="([^"]+\/t\/o\/[^"]+)"/.exec(sent)![1];
    const click = /href="([^"]+\/t\/c\/[^"]+)"/.exec(sent)![1];
    expect((await fetch(local(pixel))).status).toBe(200);
    expect((await fetch(local(click), { redirect: 'manual' })).status).toBe(302);
    const statsBefore = await eventually(async () => {
      const s = await ok('GET', `/api/v1/campaigns/${campaign.id}/stats`);
      return s.opened === 1 && s.clicked === 1 ? s : null;
    }, 'the open and the click counted');

    // A duplicate with its own identity, attributes and consent evidence, merged in; the visitor too.
    const dup = await ok('POST', '/api/v1/customers', {
      displayName: DUP_NAME,
      identities: [{ channel: 'email', address: DUP_EMAIL }],
      attributes: { note: DUP_ATTRIBUTE },
    });
    await ok('POST', `/api/v1/customers/${dup.id}/consents`, {
      channel: 'email',
      purpose: 'service',
      status: 'granted',
      source: 'signup form',
      evidence: { form: EVIDENCE },
    });
    await ok('POST', `/api/v1/customers/${id}/merge`, { duplicateId: dup.id });
    await ok('POST', `/api/v1/customers/${id}/merge`, { duplicateId: visitor });

    // The jobs: the SMS's finished job holds its sender and text; the fallback check waits.
    const [smsJob] = await q(
      `SELECT status, payload::text AS p FROM outbox_jobs WHERE dedupe_key = $1`,
      [`twilio-sms:${smsSid}`],
    );
    expect(smsJob.status).toBe('done');
    expect(smsJob.p).toContain(SMS_TEXT);
    const bullKey = `{${app.env.QUEUE_PREFIX}}:${fallback.queue}:${fallback.id}-${new Date(fallback.run_at).getTime()}`;
    if (redis) expect(await redis.exists(bullKey)).toBe(1);

    const needles = [
      NAME,
      DUP_NAME,
      EMAIL,
      DUP_EMAIL,
      PHONE,
      contact.id,
      session.visitorId,
      MAIL_ID,
      EMAIL_SUBJECT,
      EMAIL_TEXT,
      ATTACHMENT_NAME,
      Buffer.from(ATTACHMENT_TEXT).toString('hex'),
      SMS_TEXT,
      TRANSCRIPT,
      WECHAT_TEXT,
      CHAT_TEXT,
      CLAIMED_NAME,
      ...Object.values(REPLIES),
      NOTE,
      FOLLOW_UP,
      TAG,
      ATTRIBUTE,
      DUP_ATTRIBUTE,
      EVIDENCE,
      ORDER,
      CONVERSATION_TAG,
    ];
    const before = await dumpDatabase();
    const redisBefore = await dumpRedis();
    const foundBefore = hits(needles, before);
    expect(needles.filter((n) => !foundBefore.has(n))).toEqual([]);
    const messagesBefore = await q(
      `SELECT count(*)::int AS n FROM messages WHERE customer_id = $1`,
      [id],
    );

    const erased = await app.api('DELETE', `/api/v1/customers/${id}`);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ id, erased: true, mergedCustomersErased: 2 });

    const after = await dumpDatabase();
    const redisAfter = await dumpRedis();
    const left = hits(needles, after);
    const leftInRedis = hits(needles, redisAfter);
    const rowsBefore = [...foundBefore.values()].reduce((n, w) => n + w.length, 0);
    console.log(
      `erasure: ${before.size} tables and ${redisBefore.size} Redis keys checked; ${needles.length} needles; ` +
        `table hits before ${rowsBefore} (Redis ${hits(needles, redisBefore).size}), after ${[...left.values()].flat().length} (Redis ${leftInRedis.size})`,
    );
    expect(Object.fromEntries(left)).toEqual({});
    expect(Object.fromEntries(leftInRedis)).toEqual({});

    // The queued check and its queue job are gone; the counts stay.
    expect(await q(`SELECT 1 FROM outbox_jobs WHERE id = $1`, [fallback.id])).toEqual([]);
    if (redis) expect(await redis.exists(bullKey)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM messages WHERE customer_id = $1`, [id])).toEqual(
      messagesBefore,
    );
    const statsAfter = await ok('GET', `/api/v1/campaigns/${campaign.id}/stats`);
    expect(statsAfter).toMatchObject({
      recipients: statsBefore.recipients,
      sent: statsBefore.sent,
      opened: 1,
      clicked: 1,
    });
    expect((await app.api('GET', `/api/v1/customers/${id}`)).status).toBe(404);

    // Erasing again removes nothing more and says so.
    const again = await app.api('DELETE', `/api/v1/customers/${id}`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ erased: true, identitiesRemoved: 0, jobsRemoved: 0 });
    expect(hits(needles, await dumpDatabase()).size).toBe(0);
  });

  it('answers 404 for a customer that does not exist', async () => {
    const r = await app.api('DELETE', '/api/v1/customers/00000000-0000-4000-8000-000000000000');
    expect(r.status).toBe(404);
    expect(r.body.message).toContain('00000000-0000-4000-8000-000000000000');
  });
});
