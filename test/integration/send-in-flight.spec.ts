import { DataSource } from 'typeorm';
import { DeliveryService } from '../../src/delivery/delivery.service';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

const ACCOUNT_SID = `AC${'5e6f7a8b'.repeat(4)}`;
const AUTH_TOKEN = 'fake-auth-token-in-flight';
const FROM = '+15005550006';
/** Short, so a lapsed lease is found within a second or so. */
const LEASE_SECONDS = 3;

let app: TestApp;
let fake: FakeTwilio;
let db: DataSource;
let seq = 0;

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  app = await startTestApp({
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: FROM,
    TWILIO_API_BASE_URL: fake.url,
    JOB_LEASE_SECONDS: String(LEASE_SECONDS),
  });
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  // First the fake: a held request ends with its connection, so the app's stop need not wait.
  await fake.stop();
  await app.close();
});

interface Crashed {
  messageId: string;
  address: string;
  text: string;
}

/**
 * The state a kill -9 leaves between marking a send in flight and recording the provider's
 * answer: the message queued, its attempt `sending`, its job's row running under a lease that
 * has lapsed (nobody renews it). The sweeper finds the row and the job runs again.
 */
async function crashedSend(channel: 'sms' | 'email', urgency = 'normal'): Promise<Crashed> {
  const n = ++seq;
  const address = channel === 'sms' ? `+8613911${String(n).padStart(6, '0')}` : `f${n}@x.test`;
  const text = `your parcel ${n} is on its way`;
  const c = await app.api('POST', '/api/v1/customers', {
    displayName: `In Flight ${n}`,
    identities: [{ channel, address }],
  });
  expect(c.status).toBe(201);
  const [m] = (await db.query(
    `INSERT INTO messages (customer_id, direction, kind, channel, status, text, subject, address, purpose, urgency)
     VALUES ($1, 'outbound', 'message', $2, 'queued', $3, 'Parcel', $4, 'transactional', $5) RETURNING id`,
    [c.body.id, channel, text, address, urgency],
  )) as Array<{ id: string }>;
  await db.query(
    `INSERT INTO delivery_attempts (message_id, attempt_no, channel, address, status, created_at)
     VALUES ($1, 1, $2, $3, 'sending', now() - interval '5 seconds')`,
    [m.id, channel, address],
  );
  return { messageId: m.id, address, text };
}

async function strandJob(messageId: string, channel: 'sms' | 'email'): Promise<void> {
  await db.query(
    `INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, status, attempts, max_attempts, run_at, locked_until)
     VALUES ($1, 'send', $2, $3, 'running', 1, 6, now() - interval '10 seconds', now() - interval '1 second')`,
    [`delivery-${channel}`, JSON.stringify({ messageId }), `send:${messageId}`],
  );
}

async function jobDone(messageId: string): Promise<void> {
  await eventually(
    async () =>
      (
        (await db.query(`SELECT status FROM outbox_jobs WHERE dedupe_key = $1`, [
          `send:${messageId}`,
        ])) as Array<{ status: string }>
      )[0]?.status === 'done',
    `the re-driven send of ${messageId}`,
    LEASE_SECONDS * 1000 + 10_000,
  );
}

async function attempts(messageId: string) {
  const r = await app.api('GET', `/api/v1/messages/${messageId}`);
  expect(r.status).toBe(200);
  return {
    status: r.body.status as string,
    attempts: r.body.attempts as Array<{ status: string; error?: string }>,
  };
}

async function sandboxSends(messageId: string): Promise<number> {
  const r = await app.api('GET', '/api/v1/sandbox/outbox?channel=email');
  return (r.body.items as Array<{ messageId: string }>).filter((i) => i.messageId === messageId)
    .length;
}

/** Creates a message at the fake Twilio as the hub's SDK would: the provider has it. */
async function providerAccepts(to: string, body: string): Promise<string> {
  const r = await fetch(`${fake.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ To: to, From: FROM, Body: body }).toString(),
  });
  expect(r.status).toBe(201);
  const sid = ((await r.json()) as { sid: string }).sid;
  fake.messages.find((m) => m.sid === sid)!.status = 'sent';
  return sid;
}

const toFake = (to: string) => fake.messages.filter((m) => m.to === to);

async function metric(line: RegExp): Promise<number> {
  const r = await fetch(`${app.url}/metrics`);
  const found = (await r.text()).split('\n').find((l) => line.test(l));
  return found ? Number(found.split(' ').pop()) : 0;
}

describe(DeliveryService.name, () => {
  it('records a send the provider already has, and sends nothing again', async () => {
    const crashed = await crashedSend('sms');
    const sid = await providerAccepts(crashed.address, crashed.text);
    await strandJob(crashed.messageId, 'sms');
    await jobDone(crashed.messageId);

    expect(toFake(crashed.address)).toHaveLength(1);
    const m = await attempts(crashed.messageId);
    expect(m.status).toBe('sent');
    expect(m.attempts).toEqual([expect.objectContaining({ status: 'sent' })]);
    const [row] = (await db.query(
      `SELECT provider_message_id FROM delivery_attempts WHERE message_id = $1`,
      [crashed.messageId],
    )) as Array<{ provider_message_id: string }>;
    expect(row.provider_message_id).toBe(sid);
  });

  it('records as sent what the provider has, though consent was revoked since', async () => {
    const crashed = await crashedSend('sms');
    const sid = await providerAccepts(crashed.address, crashed.text);
    await db.query(
      `INSERT INTO consents (customer_id, channel, purpose, status, source)
       SELECT customer_id, 'sms', 'transactional', 'revoked', 'test' FROM messages WHERE id = $1`,
      [crashed.messageId],
    );
    await strandJob(crashed.messageId, 'sms');
    await jobDone(crashed.messageId);

    const m = await attempts(crashed.messageId);
    expect(m.status).toBe('sent');
    expect(toFake(crashed.address).map((f) => f.sid)).toEqual([sid]);
  });

  it('sends again what the provider never got', async () => {
    const crashed = await crashedSend('sms');
    // Same words to the same number long before the interrupted send began: not this send.
    const older = await providerAccepts(crashed.address, crashed.text);
    fake.messages.find((f) => f.sid === older)!.createdAt = new Date(Date.now() - 3_600_000);
    await strandJob(crashed.messageId, 'sms');
    await jobDone(crashed.messageId);

    expect(toFake(crashed.address)).toHaveLength(2);
    const m = await attempts(crashed.messageId);
    expect(m.attempts.map((a) => a.status)).toEqual(['failed', 'queued']);
    expect(m.attempts[0].error).toContain('interrupted before the provider took it');
  });

  it('marks unknown what the provider cannot be asked about, visibly and counted, and sends nothing', async () => {
    const before = await metric(/^hub_delivery_statuses_total\{channel="email",status="unknown"\}/);
    const crashed = await crashedSend('email');
    await strandJob(crashed.messageId, 'email');
    await jobDone(crashed.messageId);

    const m = await attempts(crashed.messageId);
    expect(m.status).toBe('unknown');
    expect(m.attempts).toEqual([
      expect.objectContaining({ status: 'unknown', error: expect.stringContaining('interrupted') }),
    ]);
    expect(await sandboxSends(crashed.messageId)).toBe(0);
    expect(await metric(/^hub_delivery_statuses_total\{channel="email",status="unknown"\}/)).toBe(
      before + 1,
    );
    expect(
      await metric(/^hub_interrupted_sends_total\{channel="email",outcome="unknown"\}/),
    ).toBeGreaterThanOrEqual(1);
  });

  it('sends a critical message again when the provider cannot be asked', async () => {
    const crashed = await crashedSend('email', 'critical');
    await strandJob(crashed.messageId, 'email');
    await jobDone(crashed.messageId);

    expect(await sandboxSends(crashed.messageId)).toBe(1);
    const m = await attempts(crashed.messageId);
    expect(m.attempts[0].status).toBe('unknown');
    expect(m.attempts).toHaveLength(2);
    expect(m.attempts[1].status).not.toBe('unknown');
    expect(m.status).not.toBe('unknown');
  });

  it('keeps the lease of a send that outlasts it: nobody else runs it meanwhile', async () => {
    const address = `+8613922${String(++seq).padStart(6, '0')}`;
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: 'Slow Provider',
      identities: [{ channel: 'sms', address }],
    });
    const held = fake.holdNextMessage();
    const [m] = (await db.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, address, purpose)
       VALUES ($1, 'outbound', 'message', 'sms', 'queued', 'slow one', $2, 'transactional') RETURNING id`,
      [c.body.id, address],
    )) as Array<{ id: string }>;
    await app.hub.app.get(DeliveryService).enqueueSend(m.id);
    await held;
    // In flight, marked before the call.
    const inFlight = await attempts(m.id);
    expect(inFlight.attempts).toEqual([expect.objectContaining({ status: 'sending' })]);
    const lease = async () =>
      (
        (await db.query(
          `SELECT status, locked_until, locked_until > now() AS leased, attempts, now() AS now FROM outbox_jobs WHERE dedupe_key = $1`,
          [`send:${m.id}`],
        )) as Array<{
          status: string;
          locked_until: Date;
          leased: boolean;
          attempts: number;
          now: Date;
        }>
      )[0];
    const first = await lease();
    // Past the end of the lease it was claimed with, renewed beyond it by its live runner.
    const later = await eventually(
      async () => {
        const l = await lease();
        return l.now > first.locked_until &&
          l.locked_until.getTime() >= first.locked_until.getTime() + LEASE_SECONDS * 500
          ? l
          : null;
      },
      'the lease renewed past its first end',
      4 * LEASE_SECONDS * 1000,
    );
    expect(later).toMatchObject({ status: 'running', leased: true, attempts: 1 });
    // Nobody else took it up: the provider was asked once.
    expect(toFake(address)).toHaveLength(1);
  });
});
