import { DataSource } from 'typeorm';
import { OutboundService } from '../../src/delivery/outbound.service';
import {
  startFakeTwilio,
  signTwilioRequest,
  type FakeTwilio,
  type FakeTwilioOptions,
} from '../support/fake-twilio';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const ACCOUNT_SID = `AC${'1a2b3c4d'.repeat(4)}`;
const AUTH_TOKEN = 'fake-auth-token-12345';
const PUBLIC_URL = 'http://public.example.test';
const FROM = '+15005550006';
const HELP = 'Acme support: reply here to reach an agent. STOP to opt out.';

let app: TestApp;
let fake: FakeTwilio;
let db: DataSource;
let seq = 0;
const phone = () => `+86138001${String(38000 + ++seq).padStart(5, '0')}`;
const sid = () => `SM${String(++seq).padStart(32, '0')}`;

async function smsIn(params: Record<string, string>) {
  return fake.postWebhook(`${PUBLIC_URL}/webhooks/twilio/sms`, {
    AccountSid: ACCOUNT_SID,
    To: FROM,
    NumMedia: '0',
    ...params,
  });
}

async function customerOf(address: string): Promise<string> {
  return eventually(async () => {
    const r = await app.api(
      'GET',
      `/api/v1/customers?identity=${encodeURIComponent(`sms:${address}`)}`,
    );
    return r.status === 200 ? ((r.body.id as string) ?? (r.body.items?.[0]?.id as string)) : null;
  }, `customer ${address}`);
}

/** The inbound job of this MessageSid has run (other jobs, e.g. SLA timers, may stay pending). */
async function jobDone(messageSid: string): Promise<void> {
  await eventually(async () => {
    const r = (await db.query(`SELECT status FROM outbox_jobs WHERE dedupe_key = $1`, [
      `twilio-sms:${messageSid}`,
    ])) as Array<{ status: string }>;
    return r[0]?.status === 'done';
  }, `the inbound job of ${messageSid}`);
}

async function smsConsents(customerId: string) {
  return (await db.query(
    `SELECT purpose, status, source, evidence FROM consents WHERE customer_id = $1 AND channel = 'sms' ORDER BY seq`,
    [customerId],
  )) as Array<{
    purpose: string;
    status: string;
    source: string;
    evidence: Record<string, unknown>;
  }>;
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
    TWILIO_FROM: FROM,
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_URL,
    SMS_HELP_TEXT: HELP,
  });
  options.hubUrl = app.url;
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
  await fake?.stop();
});

describe('POST /webhooks/twilio/sms', () => {
  it('accepts a signed SMS from an unknown number: a new customer with the message on the timeline', async () => {
    const from = phone();
    const r = await smsIn({ MessageSid: sid(), From: from, Body: '你好，我的快递到哪了？' });
    expect(r.status).toBe(200);
    expect(r.body).toBe('<Response/>');
    const customerId = await customerOf(from);
    const timeline = await eventually(async () => {
      const t = await app.api('GET', `/api/v1/customers/${customerId}/timeline`);
      return t.body.items?.length ? t.body.items : null;
    }, 'the timeline item');
    expect(timeline[0]).toMatchObject({
      direction: 'inbound',
      channel: 'sms',
      kind: 'message',
      text: '你好，我的快递到哪了？',
    });
  });

  it('lists MMS media as attachments', async () => {
    const from = phone();
    await smsIn({
      MessageSid: sid(),
      From: from,
      Body: 'photo',
      NumMedia: '1',
      MediaUrl0: 'https://api.twilio.com/media/ME1',
      MediaContentType0: 'image/jpeg',
    });
    const customerId = await customerOf(from);
    const item = await eventually(
      async () =>
        (await app.api('GET', `/api/v1/customers/${customerId}/timeline`)).body.items?.[0],
      'the MMS',
    );
    expect(item.attachments).toEqual([
      expect.objectContaining({
        url: 'https://api.twilio.com/media/ME1',
        contentType: 'image/jpeg',
        filename: 'ME1.jpg',
      }),
    ]);
  });

  it('refuses unsigned and wrongly signed requests with 403, counted in /metrics', async () => {
    const params = { MessageSid: sid(), From: phone(), Body: 'hi' };
    const form = new URLSearchParams(params).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const unsigned = await fetch(`${app.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers,
      body: form,
    });
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { message: string }).message).toMatch(/X-Twilio-Signature/);
    // Signed with the wrong token, and signed over the wrong URL (the one the app sees, not PUBLIC_URL).
    for (const signature of [
      signTwilioRequest('another-token-123', `${PUBLIC_URL}/webhooks/twilio/sms`, params),
      signTwilioRequest(AUTH_TOKEN, `${app.url}/webhooks/twilio/sms`, params),
    ]) {
      const r = await fetch(`${app.url}/webhooks/twilio/sms`, {
        method: 'POST',
        headers: { ...headers, 'x-twilio-signature': signature },
        body: form,
      });
      expect(r.status).toBe(403);
    }
    // A parameter changed after signing.
    const tampered = await fetch(`${app.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: {
        ...headers,
        'x-twilio-signature': signTwilioRequest(
          AUTH_TOKEN,
          `${PUBLIC_URL}/webhooks/twilio/sms`,
          params,
        ),
      },
      body: new URLSearchParams({ ...params, Body: 'changed' }).toString(),
    });
    expect(tampered.status).toBe(403);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /hub_webhook_rejections_total\{source="twilio-sms",reason="missing_signature"\} 1/,
    );
    expect(metrics).toMatch(
      /hub_webhook_rejections_total\{source="twilio-sms",reason="bad_signature"\} 3/,
    );
  });

  it('answers 400 naming the missing field', async () => {
    const noFrom = await smsIn({ MessageSid: sid(), Body: 'hi' });
    expect(noFrom.status).toBe(400);
    expect(JSON.parse(noFrom.body).message).toMatch(/^From/);
    const noSid = await smsIn({ From: phone(), Body: 'hi' });
    expect(noSid.status).toBe(400);
    expect(JSON.parse(noSid.body).message).toMatch(/^MessageSid/);
  });

  it('stores an SMS from a sender that is not a number (sender id, short code) under its raw address, at once', async () => {
    for (const from of ['BANK', 'Acme Ltd', '95588']) {
      const messageSid = sid();
      expect(
        (await smsIn({ MessageSid: messageSid, From: from, Body: `code from ${from}` })).status,
      ).toBe(200);
      await jobDone(messageSid);
      const [job] = (await db.query(`SELECT attempts FROM outbox_jobs WHERE dedupe_key = $1`, [
        `twilio-sms:${messageSid}`,
      ])) as Array<{ attempts: number }>;
      expect({ from, attempts: job.attempts }).toEqual({ from, attempts: 1 });
      const rows = (await db.query(
        `SELECT i.kind, i.address, m.text FROM messages m
           JOIN customer_identities i ON i.customer_id = m.customer_id
          WHERE m.provider_message_id = $1`,
        [messageSid],
      )) as Array<{ kind: string; address: string; text: string }>;
      expect(rows).toEqual([{ kind: 'phone', address: from, text: `code from ${from}` }]);
    }
  });

  it('stores an SMS whose text holds NUL characters, each replaced by U+FFFD', async () => {
    const messageSid = sid();
    const res = await smsIn({ MessageSid: messageSid, From: phone(), Body: 'a\u0000b' });
    expect(res.status).toBe(200);
    await jobDone(messageSid);
    const [row] = (await db.query(`SELECT text FROM messages WHERE provider_message_id = $1`, [
      messageSid,
    ])) as Array<{ text: string }>;
    expect(row.text).toBe('a\uFFFDb');
  });

  it('fails an SMS whose sender cannot be stored once, without ten retries', async () => {
    const messageSid = sid();
    await smsIn({ MessageSid: messageSid, From: 'X'.repeat(40), Body: 'too long a sender' });
    const job = await eventually(async () => {
      const [row] = (await db.query(
        `SELECT status, attempts, last_error AS "lastError" FROM outbox_jobs WHERE dedupe_key = $1`,
        [`twilio-sms:${messageSid}`],
      )) as Array<{ status: string; attempts: number; lastError: string }>;
      return row?.status === 'failed' ? row : null;
    }, 'the failed job');
    expect(job.attempts).toBe(1);
    expect(job.lastError).toMatch(/from: .* is neither a phone number nor a sender id/);
  });

  it('makes one message of the same MessageSid delivered three times, twice of them concurrently', async () => {
    const from = phone();
    const params = { MessageSid: sid(), From: from, Body: 'retried webhook' };
    const first = await smsIn(params);
    const again = await Promise.all([smsIn(params), smsIn(params)]);
    expect([first, ...again].map((r) => r.status)).toEqual([200, 200, 200]);
    await customerOf(from);
    await jobDone(params.MessageSid);
    const rows = (await db.query(
      `SELECT count(*)::int AS n FROM messages WHERE channel = 'sms' AND provider_message_id = $1`,
      [params.MessageSid],
    )) as Array<{ n: number }>;
    expect(rows[0].n).toBe(1);
  });
});

describe('SMS keywords', () => {
  it.each(['STOP', '退订', 'stop!', ' Unsubscribe. '])(
    '%j revokes SMS consent for every purpose, with the message as evidence',
    async (body) => {
      const from = phone();
      const r = await smsIn({ MessageSid: sid(), From: from, Body: body });
      // Confirmed in the keyword's language (test/e2e/sms-keywords.spec.ts has the texts).
      expect(r.body).toMatch(
        body === '退订'
          ? /^<Response><Message>您已退订/
          : /^<Response><Message>You are unsubscribed/,
      );
      const customerId = await customerOf(from);
      const rows = await eventually(async () => {
        const c = await smsConsents(customerId);
        return c.length === 3 ? c : null;
      }, 'three consent rows');
      expect(rows.map((c) => c.purpose).sort()).toEqual(['marketing', 'service', 'transactional']);
      const message = (await db.query(`SELECT id FROM messages WHERE customer_id = $1`, [
        customerId,
      ])) as Array<{ id: string }>;
      for (const row of rows) {
        expect(row).toMatchObject({
          status: 'revoked',
          source: 'sms-keyword',
          evidence: { messageId: message[0].id, body, keyword: 'optout', transport: 'twilio' },
        });
      }
      const api = await app.api('GET', `/api/v1/customers/${customerId}/consents`);
      expect(api.status).toBe(200);
    },
  );

  it('treats "STOP please" as an ordinary message', async () => {
    const from = phone();
    const messageSid = sid();
    await smsIn({ MessageSid: messageSid, From: from, Body: 'STOP please' });
    const customerId = await customerOf(from);
    await jobDone(messageSid);
    expect(await smsConsents(customerId)).toEqual([]);
  });

  it('START restores SMS consent after STOP (transactional and service; marketing was never granted)', async () => {
    const from = phone();
    await smsIn({ MessageSid: sid(), From: from, Body: 'STOP' });
    const customerId = await customerOf(from);
    await eventually(async () => (await smsConsents(customerId)).length === 3, 'the revocation');
    await smsIn({ MessageSid: sid(), From: from, Body: 'start' });
    const rows = await eventually(async () => {
      const c = await smsConsents(customerId);
      return c.length === 5 ? c : null;
    }, 'the restoration');
    expect(rows.slice(3).map((c) => [c.purpose, c.status, c.source])).toEqual([
      ['transactional', 'granted', 'sms-keyword'],
      ['service', 'granted', 'sms-keyword'],
    ]);
    // Service SMS can be sent again.
    const out = await app.hub.app
      .get(OutboundService)
      .send({ customerId, channel: 'sms', text: 'welcome back', purpose: 'service' });
    expect(out.created).toBe(true);
  });

  it('answers HELP with the help text in TwiML', async () => {
    const r = await smsIn({ MessageSid: sid(), From: phone(), Body: 'help' });
    expect(r.status).toBe(200);
    expect(r.body).toBe(`<Response><Message>${HELP.replace(/&/g, '&amp;')}</Message></Response>`);
  });
});

describe('Outbound SMS through the Twilio SDK and status callbacks', () => {
  async function customerWithPhone(): Promise<{ id: string; phone: string }> {
    const number = phone();
    const r = await app.api('POST', '/api/v1/customers', {
      displayName: 'Li Lei',
      identities: [{ channel: 'sms', address: number }],
    });
    expect(r.status).toBe(201);
    return { id: r.body.id, phone: number };
  }

  async function messageRow(id: string) {
    return (
      (await db.query(`SELECT status, metadata FROM messages WHERE id = $1`, [id])) as Array<{
        status: string;
        metadata: Record<string, any>;
      }>
    )[0];
  }

  it('sends through the fake Twilio with From, To, Body and StatusCallback; a late "sent" never overwrites "delivered"', async () => {
    const customer = await customerWithPhone();
    const { message } = await app.hub.app.get(OutboundService).send({
      customerId: customer.id,
      channel: 'sms',
      text: '您的订单已发货',
      purpose: 'transactional',
    });
    const sent = await eventually(
      async () => fake.messages.find((m) => m.to === customer.phone),
      'the SDK request',
    );
    expect(sent.params).toMatchObject({
      From: FROM,
      To: customer.phone,
      Body: '您的订单已发货',
      StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status`,
    });
    expect(fake.requests.find((r) => r.path.endsWith('/Messages.json'))?.basicAuth).toEqual({
      username: ACCOUNT_SID,
      password: AUTH_TOKEN,
    });
    await eventually(async () => {
      const a = (await db.query(`SELECT 1 FROM delivery_attempts WHERE provider_message_id = $1`, [
        sent.sid,
      ])) as unknown[];
      return a.length > 0;
    }, 'the attempt row');

    expect((await fake.sendStatusCallback(sent.sid, 'delivered')).status).toBe(200);
    expect((await fake.sendStatusCallback(sent.sid, 'sent')).status).toBe(200);
    expect((await fake.sendStatusCallback(sent.sid, 'undelivered', 30003)).status).toBe(200);
    expect((await messageRow(message.id)).status).toBe('delivered');
    const attempt = (await db.query(
      `SELECT status, error_code FROM delivery_attempts WHERE provider_message_id = $1`,
      [sent.sid],
    )) as Array<{ status: string; error_code: string }>;
    expect(attempt[0]).toEqual({ status: 'delivered', error_code: '30003' });
  });

  it('keeps the failure code of an undelivered message', async () => {
    const customer = await customerWithPhone();
    const { message } = await app.hub.app.get(OutboundService).send({
      customerId: customer.id,
      channel: 'sms',
      text: 'code 30006',
      purpose: 'transactional',
    });
    const sent = await eventually(
      async () => fake.messages.find((m) => m.to === customer.phone),
      'the SDK request',
    );
    await eventually(
      async () =>
        (
          (await db.query(`SELECT 1 FROM delivery_attempts WHERE provider_message_id = $1`, [
            sent.sid,
          ])) as unknown[]
        ).length > 0,
      'the attempt',
    );
    await fake.sendStatusCallback(sent.sid, 'sent');
    await fake.sendStatusCallback(sent.sid, 'undelivered', 30006);
    const row = await messageRow(message.id);
    expect(row.status).toBe('undelivered');
    expect(row.metadata.delivery).toMatchObject({
      errorCode: '30006',
      providerStatus: 'undelivered',
    });
  });

  it('refuses an unsigned status callback', async () => {
    const r = await fetch(`${app.url}/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ MessageSid: sid(), MessageStatus: 'delivered' }).toString(),
    });
    expect(r.status).toBe(403);
  });

  it('records the opt-out when Twilio refuses the send with 21610, and the message fails', async () => {
    const customer = await customerWithPhone();
    fake.setNextError(21610, 400);
    const { message } = await app.hub.app
      .get(OutboundService)
      .send({ customerId: customer.id, channel: 'sms', text: 'refused', purpose: 'service' });
    await eventually(async () => (await messageRow(message.id)).status === 'failed', 'the failure');
    const rows = await smsConsents(customer.id);
    expect(rows.map((r) => [r.purpose, r.status, r.source]).sort()).toEqual([
      ['marketing', 'revoked', 'twilio-21610'],
      ['service', 'revoked', 'twilio-21610'],
      ['transactional', 'revoked', 'twilio-21610'],
    ]);
    expect(rows[0].evidence).toMatchObject({ errorCode: '21610', messageId: message.id });
    // START makes the number reachable and service SMS allowed again.
    await smsIn({ MessageSid: sid(), From: customer.phone, Body: 'START' });
    await eventually(async () => (await smsConsents(customer.id)).length === 5, 'the opt-in');
    const again = await app.hub.app
      .get(OutboundService)
      .send({ customerId: customer.id, channel: 'sms', text: 'back', purpose: 'service' });
    expect(again.created).toBe(true);
  });

  it('records the opt-out when a status callback carries 21610', async () => {
    const customer = await customerWithPhone();
    const { message } = await app.hub.app
      .get(OutboundService)
      .send({ customerId: customer.id, channel: 'sms', text: 'late refusal', purpose: 'service' });
    const sent = await eventually(
      async () => fake.messages.find((m) => m.to === customer.phone),
      'the SDK request',
    );
    await eventually(
      async () =>
        (
          (await db.query(`SELECT 1 FROM delivery_attempts WHERE provider_message_id = $1`, [
            sent.sid,
          ])) as unknown[]
        ).length > 0,
      'the attempt',
    );
    expect((await fake.sendStatusCallback(sent.sid, 'failed', 21610)).status).toBe(200);
    expect((await fake.sendStatusCallback(sent.sid, 'failed', 21610)).status).toBe(200); // repeated: no second set of rows
    expect((await messageRow(message.id)).status).toBe('failed');
    const rows = await smsConsents(customer.id);
    expect(rows.map((r) => r.source)).toEqual(['twilio-21610', 'twilio-21610', 'twilio-21610']);
    expect(rows.every((r) => r.status === 'revoked')).toBe(true);
  });
});
