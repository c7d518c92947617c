import { DataSource } from 'typeorm';
import { OutboundService } from '../../src/delivery/outbound.service';
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../support/fake-twilio';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const ACCOUNT_SID = `AC${'5e6f7a8b'.repeat(4)}`;
const AUTH_TOKEN = 'fake-auth-token-whatsapp';
const PUBLIC_URL = 'http://public.example.test';
const SMS_FROM = '+15005550006';
const WA_FROM = '+14155238886';
const APPROVED = 'service-alert';

let app: TestApp;
let fake: FakeTwilio;
let db: DataSource;
let seq = 0;
const phone = () => `+86139001${String(38000 + ++seq).padStart(5, '0')}`;
const sid = () => `SM${String(++seq).padStart(30, '0')}wa`;
const WINDOW = /outside the 24-hour WhatsApp customer service window/;

async function waIn(params: Record<string, string>) {
  return fake.postWebhook(`${PUBLIC_URL}/webhooks/twilio/sms`, {
    AccountSid: ACCOUNT_SID,
    To: `whatsapp:${WA_FROM}`,
    NumMedia: '0',
    ...params,
    From: `whatsapp:${params.From}`,
  });
}

/** The inbound WhatsApp message of this sender, once its job stored it. */
async function inboundOf(from: string) {
  return eventually(async () => {
    const rows = (await db.query(
      `SELECT m.id, m.customer_id, m.conversation_id, m.channel, m.text, m.attachments
         FROM messages m JOIN customer_identities i ON i.customer_id = m.customer_id
        WHERE i.kind = 'phone' AND i.address = $1 AND m.direction = 'inbound'
        ORDER BY m.created_at DESC`,
      [from],
    )) as Array<{
      id: string;
      customer_id: string;
      conversation_id: string;
      channel: string;
      text: string;
      attachments: unknown;
    }>;
    return rows[0] ?? null;
  }, `the WhatsApp message from ${from}`);
}

async function consentsOn(customerId: string, channel: string) {
  return (await db.query(
    `SELECT purpose, status, source FROM consents WHERE customer_id = $1 AND channel = $2 ORDER BY seq`,
    [customerId, channel],
  )) as Array<{ purpose: string; status: string; source: string }>;
}

/** A message's status and metadata (queued once Twilio accepted it, until its status callback). */
async function status(id: string) {
  const [m] = (await db.query(`SELECT status, metadata FROM messages WHERE id = $1`, [
    id,
  ])) as Array<{ status: string; metadata: { delivery?: { reason?: string } } }>;
  return m;
}

/** Moves the customer's inbound WhatsApp messages `hours` into the past. */
async function age(customerId: string, hours: number) {
  await db.query(
    `UPDATE messages SET created_at = created_at - $2 * interval '1 hour'
      WHERE customer_id = $1 AND channel = 'whatsapp' AND direction = 'inbound'`,
    [customerId, hours],
  );
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
    TWILIO_FROM: SMS_FROM,
    TWILIO_WHATSAPP_FROM: WA_FROM,
    WHATSAPP_APPROVED_TEMPLATES: APPROVED,
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_URL,
  });
  options.hubUrl = app.url;
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
  await fake?.stop();
});

describe('Inbound WhatsApp on POST /webhooks/twilio/sms', () => {
  it('stores a signed WhatsApp message as channel whatsapp from the E.164 number', async () => {
    const from = phone();
    const r = await waIn({
      MessageSid: sid(),
      From: from,
      Body: '你好，WhatsApp',
      ProfileName: 'Wang',
    });
    expect([r.status, r.body]).toEqual([200, '<Response/>']);
    const message = await inboundOf(from);
    expect(message).toMatchObject({ channel: 'whatsapp', text: '你好，WhatsApp' });
    const identities = (await db.query(
      `SELECT kind, address FROM customer_identities WHERE customer_id = $1`,
      [message.customer_id],
    )) as unknown[];
    expect(identities).toEqual([{ kind: 'phone', address: from }]);
  });

  it('lists WhatsApp media as attachments', async () => {
    const from = phone();
    await waIn({
      MessageSid: sid(),
      From: from,
      Body: '',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/media/ME1',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/media/ME2',
      MediaContentType1: 'application/pdf',
    });
    const message = await inboundOf(from);
    const customerId = message.customer_id;
    const item = await eventually(
      async () =>
        (await app.api('GET', `/api/v1/customers/${customerId}/timeline`)).body.items?.[0],
      'the timeline item',
    );
    expect(item.channel).toBe('whatsapp');
    expect(item.attachments).toEqual([
      expect.objectContaining({ url: 'https://api.twilio.com/media/ME1', filename: 'ME1.jpg' }),
      expect.objectContaining({ contentType: 'application/pdf', filename: 'ME2.pdf' }),
    ]);
  });

  it('refuses a WhatsApp webhook with a wrong signature (403)', async () => {
    const r = await fetch(`${app.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl',
      },
      body: new URLSearchParams({ MessageSid: sid(), From: `whatsapp:${phone()}` }).toString(),
    });
    expect(r.status).toBe(403);
  });

  it('STOP on WhatsApp revokes WhatsApp consent (not SMS), confirmed in TwiML; START restores it', async () => {
    const from = phone();
    const stop = await waIn({ MessageSid: sid(), From: from, Body: 'STOP' });
    expect(stop.body).toMatch(/^<Response><Message>You are unsubscribed/);
    const { customer_id: customerId } = await inboundOf(from);
    const rows = await eventually(async () => {
      const c = await consentsOn(customerId, 'whatsapp');
      return c.length === 3 ? c : null;
    }, 'three WhatsApp consent rows');
    expect(rows.every((c) => c.status === 'revoked' && c.source === 'sms-keyword')).toBe(true);
    expect(await consentsOn(customerId, 'sms')).toEqual([]);
    // A reply inside the window is now refused for consent, not for the window.
    const refused = await app.hub.app
      .get(OutboundService)
      .send({ customerId, channel: 'whatsapp', text: 'still there?', purpose: 'service' })
      .catch((e: Error) => e);
    expect((refused as Error).message).toMatch(/revoked service consent on whatsapp/);

    await waIn({ MessageSid: sid(), From: from, Body: 'START' });
    await eventually(
      async () => (await consentsOn(customerId, 'whatsapp')).length === 5,
      'the restoration',
    );
  });
});

describe('Outbound WhatsApp, statuses and the 24-hour window', () => {
  it('sends an agent reply inside the window with whatsapp: addresses; sent, delivered and read callbacks apply', async () => {
    const from = phone();
    await waIn({ MessageSid: sid(), From: from, Body: 'where is my parcel?' });
    const inbound = await inboundOf(from);
    const reply = await app.api(
      'POST',
      `/api/v1/conversations/${inbound.conversation_id}/replies`,
      {
        text: 'On its way!',
      },
    );
    expect(reply.status).toBe(202);
    expect(reply.body.route.channel).toBe('whatsapp');
    const sent = await eventually(
      async () => fake.messages.find((m) => m.to === `whatsapp:${from}`),
      'the Messages API request',
    );
    expect(sent.params).toMatchObject({
      From: `whatsapp:${WA_FROM}`,
      To: `whatsapp:${from}`,
      Body: 'On its way!',
      StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status`,
    });
    await eventually(async () => {
      const a = (await db.query(`SELECT 1 FROM delivery_attempts WHERE provider_message_id = $1`, [
        sent.sid,
      ])) as unknown[];
      return a.length > 0;
    }, 'the attempt row');
    const status = async () =>
      (
        (await db.query(`SELECT status FROM messages WHERE id = $1`, [
          reply.body.messageId,
        ])) as Array<{ status: string }>
      )[0].status;
    for (const [callback, expected] of [
      ['sent', 'sent'],
      ['delivered', 'delivered'],
      ['read', 'read'],
      ['delivered', 'read'],
    ]) {
      const r = await fake.sendStatusCallback(sent.sid, callback);
      expect([r.status, JSON.parse(r.body).status]).toEqual([200, expected]);
    }
    expect(await status()).toBe('read');
  });

  it('keeps the failure code of an undelivered WhatsApp message', async () => {
    const from = phone();
    await waIn({ MessageSid: sid(), From: from, Body: 'hello' });
    const inbound = await inboundOf(from);
    const reply = await app.api(
      'POST',
      `/api/v1/conversations/${inbound.conversation_id}/replies`,
      {
        text: 'hi',
      },
    );
    const sent = await eventually(
      async () => fake.messages.find((m) => m.to === `whatsapp:${from}`),
      'the send',
    );
    await eventually(async () => {
      const a = (await db.query(`SELECT 1 FROM delivery_attempts WHERE provider_message_id = $1`, [
        sent.sid,
      ])) as unknown[];
      return a.length > 0;
    }, 'the attempt row');
    const r = await fake.sendStatusCallback(sent.sid, 'undelivered', 63016);
    expect(JSON.parse(r.body)).toMatchObject({
      messageId: reply.body.messageId,
      status: 'undelivered',
    });
  });

  it('fails a send Twilio refuses for good without making the number undeliverable for SMS', async () => {
    const from = phone();
    await waIn({ MessageSid: sid(), From: from, Body: 'hello' });
    const inbound = await inboundOf(from);
    fake.setNextError(63003, 400, 'Channel could not find To address');
    const reply = await app.api(
      'POST',
      `/api/v1/conversations/${inbound.conversation_id}/replies`,
      { text: 'hi' },
    );
    expect(reply.status).toBe(202);
    await eventually(async () => {
      const [m] = (await db.query(`SELECT status FROM messages WHERE id = $1`, [
        reply.body.messageId,
      ])) as Array<{ status: string }>;
      return m.status === 'failed';
    }, 'the failed send');
    const identities = (await db.query(
      `SELECT status FROM customer_identities WHERE customer_id = $1`,
      [inbound.customer_id],
    )) as Array<{ status: string }>;
    expect(identities).toEqual([{ status: 'active' }]);
  });

  it('refuses an agent reply outside the window with 422 naming it', async () => {
    const from = phone();
    await waIn({ MessageSid: sid(), From: from, Body: 'are you there?' });
    const inbound = await inboundOf(from);
    await age(inbound.customer_id, 25);
    const before = fake.messages.length;
    const reply = await app.api(
      'POST',
      `/api/v1/conversations/${inbound.conversation_id}/replies`,
      {
        text: 'Sorry for the wait',
        channel: 'whatsapp',
      },
    );
    expect(reply.status).toBe(422);
    expect(reply.body.message).toMatch(WINDOW);
    expect(fake.messages.length).toBe(before);
    // 23 hours after the customer wrote, the same reply goes.
    await age(inbound.customer_id, -2);
    const ok = await app.api('POST', `/api/v1/conversations/${inbound.conversation_id}/replies`, {
      text: 'Sorry for the wait',
      channel: 'whatsapp',
    });
    expect(ok.status).toBe(202);
  });

  it('checks the window again when a held send goes: past it, a free-form message is suppressed naming it', async () => {
    const from = phone();
    await waIn({ MessageSid: sid(), From: from, Body: 'call me back tomorrow' });
    const { customer_id: customerId } = await inboundOf(from);
    const outbound = app.hub.app.get(OutboundService);
    // Accepted inside the window, held for a few seconds; the window closes while it waits.
    const sendAt = new Date(Date.now() + 4000);
    const held = await outbound.send({
      customerId,
      channel: 'whatsapp',
      text: 'Here is your callback time',
      purpose: 'service',
      sendAt,
    });
    const approvedHeld = await outbound.send({
      customerId,
      channel: 'whatsapp',
      text: 'Maintenance tonight',
      purpose: 'service',
      template: APPROVED,
      sendAt,
    });
    await age(customerId, 25);
    // Both go at sendAt: the approved template still may after the window closed.
    await eventually(
      async () =>
        fake.messages.find((m) => m.to === `whatsapp:${from}` && m.body === 'Maintenance tonight'),
      'the approved template at Twilio',
    );
    expect(await status(approvedHeld.message.id)).toMatchObject({ status: 'queued' });
    const free = await eventually(async () => {
      const m = await status(held.message.id);
      return m.status === 'queued' ? null : m;
    }, 'the free-form message settled');
    expect(free.status).toBe('suppressed');
    expect(free.metadata.delivery?.reason).toMatch(WINDOW);
    expect(fake.messages.filter((m) => m.to === `whatsapp:${from}`).map((m) => m.body)).toEqual([
      'Maintenance tonight',
    ]);
  });

  it('routes outside the window only approved templates; a free-form template is skipped with the reason', async () => {
    const from = phone();
    await waIn({ MessageSid: sid(), From: from, Body: 'hi' });
    const { customer_id: customerId } = await inboundOf(from);
    await age(customerId, 30);
    const notApproved = await app.api('POST', '/api/v1/messages', {
      customerId,
      topic: 'orders',
      urgency: 'normal',
      purpose: 'transactional',
      template: 'order-shipped',
      channel: 'whatsapp',
      data: { order: { id: 'A1', carrier: 'SF', trackingUrl: 'https://t.example/A1' } },
    });
    expect(notApproved.status).toBe(422);
    expect(notApproved.body.details.reasons.join('\n')).toMatch(WINDOW);

    const approved = await app.api('POST', '/api/v1/messages', {
      customerId,
      topic: 'account',
      urgency: 'normal',
      purpose: 'service',
      template: APPROVED,
      channel: 'whatsapp',
      data: {
        alert: { title: 'Maintenance', summary: 'Tonight 22:00', statusUrl: 'https://s.example' },
      },
    });
    expect([approved.status, approved.body.route?.channel]).toEqual([202, 'whatsapp']);
    await eventually(
      async () =>
        fake.messages.find((m) => m.to === `whatsapp:${from}` && /Maintenance/.test(m.body ?? '')),
      'the approved template on WhatsApp (its SMS text)',
    );
  });
});
