/**
 * bench:ingest — inbound messages per second the ways they really arrive, on real PostgreSQL
 * and Redis at the default log level (info): signed Twilio SMS webhooks (POST
 * /webhooks/twilio/sms, timed until every message is on the timeline) and mails to the SMTP
 * receiver (timed until every 250, which it answers once the mail is on the timeline); and
 * through the ingest service itself. Next to two raw `pg` baselines writing the same rows as the
 * service phase: one transaction per message, and multi-row inserts of RAW_BATCH messages.
 * 10,000 customers; every customer writes first once (new sender) and then again (returning).
 */
import { randomBytes, randomUUID } from 'crypto';
import Redis from 'ioredis';
import { Client, Pool } from 'pg';
import twilio from 'twilio';
import { bootstrap } from '../src/bootstrap';
import type { NormalizedInbound } from '../src/channels/channel-port';
import { EmailReceiverService } from '../src/email/email-receiver.service';
import { IngestService } from '../src/ingest/ingest.service';
import { freshDatabase, runConcurrent } from './lib/bench-db';
import { prepareLoad } from './lib/http-load';
import { benchLogDestination } from './lib/hub-env';
import { dropPrefix } from './lib/queue-batching';
import { report, round } from './lib/report';
import { prepareSmtpLoad } from './lib/smtp-load';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const MESSAGES_PER_CUSTOMER = Number(process.env.BENCH_MESSAGES_PER_CUSTOMER ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WEBHOOK_MESSAGES = Number(process.env.BENCH_WEBHOOK_MESSAGES ?? 10_000);
const SMTP_MESSAGES = Number(process.env.BENCH_SMTP_MESSAGES ?? 5_000);
/**
 * The batched raw baseline batches as the hub's coalesced write (KnownSenderWrites) does: one
 * statement in flight, carrying what the CONCURRENCY messages in flight have ready, i.e.
 * RAW_BATCH = CONCURRENCY messages per multi-row insert. Both tunable to see the substrate's
 * headroom (more statements in flight means more messages in flight than the hub had).
 */
const RAW_BATCH = Number(process.env.BENCH_RAW_BATCH ?? CONCURRENCY);
const RAW_BATCHES_IN_FLIGHT = Number(process.env.BENCH_RAW_BATCHES_IN_FLIGHT ?? 1);

const ACCOUNT_SID = `AC${'0b1e5c7a'.repeat(4)}`;
const AUTH_TOKEN = 'bench-twilio-auth-token';
const PUBLIC_URL = 'https://hub.bench.example';
const TWILIO_NUMBER = '+15005550006';
const INBOX = 'support@hub.bench.example';

type Sender = { channel: 'email' | 'sms' | 'wechat'; from: string; name: string };

function senders(tag: string, n: number): Sender[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i % 3;
    if (k === 0)
      return { channel: 'email', from: `Customer.${tag}${i}@Example.com`, name: `Customer ${i}` };
    if (k === 1)
      return {
        channel: 'sms',
        from: `+86 138 ${String(10_000_000 + i).slice(0, 4)} ${String(i).padStart(4, '0')}`,
        name: '',
      };
    return { channel: 'wechat', from: `wxid_${tag}${i}`, name: `微信用户${i}` };
  });
}

/** A realistic order: a first message from each sender, then returning senders interleaved. */
function schedule(people: Sender[], perCustomer: number): NormalizedInbound[] {
  const out: NormalizedInbound[] = [];
  for (let round = 0; round < perCustomer; round++) {
    for (let i = 0; i < people.length; i++) {
      const p = people[(i * 7919 + round * 104729) % people.length];
      out.push({
        channel: p.channel,
        from: p.from,
        senderName: p.name || undefined,
        providerMessageId: randomUUID(),
        text: `message ${round} 你好, order #${i}`,
      });
    }
  }
  return out;
}

/** What the raw baselines write for a message: its sender's rows on first contact, the message always. */
interface RawRow {
  key: string;
  channel: string;
  address: string;
  name: string;
  text: string;
  providerMessageId: string;
}

const norm = (m: NormalizedInbound) =>
  m.channel === 'sms' ? m.from.replace(/\s/g, '') : m.from.toLowerCase();

function rawRows(messages: NormalizedInbound[]): RawRow[] {
  return messages.map((m) => ({
    key: `${m.channel}:${norm(m)}`,
    channel: m.channel,
    address: norm(m),
    name: m.senderName ?? norm(m),
    text: m.text,
    providerMessageId: m.providerMessageId,
  }));
}

const identityKind = (channel: string) => (channel === 'sms' ? 'phone' : channel);

/**
 * A sender's ids, known once its first message is taken, and the write that creates its rows:
 * a later message of the same sender waits for that write before referencing them.
 */
type Known = Map<string, { customer: string; conversation: string; created: Promise<void> }>;

/** A promise settled from outside (a failed write fails its waiters too, rather than hanging them). */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Raw (a): one transaction per message, addresses already normalized, ids already known. */
async function rawPerMessage(url: string, rows: RawRow[]): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 20 });
  pool.on('error', () => undefined); // the database is dropped right after; idle clients may see it go
  const known: Known = new Map();
  const insertMessage = `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, address, provider_message_id) VALUES ($1, $2, 'inbound', 'message', $3, 'delivered', $4, $5, $6)`;
  const seconds = await runConcurrent(rows.length, CONCURRENCY, async (i) => {
    const m = rows[i];
    const ids = known.get(m.key);
    if (ids) {
      await ids.created;
      await pool.query(insertMessage, [
        ids.customer,
        ids.conversation,
        m.channel,
        m.text,
        m.address,
        m.providerMessageId,
      ]);
      return;
    }
    const fresh = { customer: randomUUID(), conversation: randomUUID() };
    const created = deferred();
    known.set(m.key, { ...fresh, created: created.promise });
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`INSERT INTO customers (id, display_name) VALUES ($1, $2)`, [
        fresh.customer,
        m.name,
      ]);
      await c.query(
        `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, $2, $3, $4)`,
        [fresh.customer, identityKind(m.channel), m.channel, m.address],
      );
      await c.query(
        `INSERT INTO conversations (id, customer_id, last_channel) VALUES ($1, $2, $3)`,
        [fresh.conversation, fresh.customer, m.channel],
      );
      await c.query(insertMessage, [
        fresh.customer,
        fresh.conversation,
        m.channel,
        m.text,
        m.address,
        m.providerMessageId,
      ]);
      await c.query('COMMIT');
      created.resolve();
    } catch (e) {
      created.reject(e);
      throw e;
    } finally {
      c.release();
    }
  });
  await pool.end();
  return rows.length / seconds;
}

/** Raw (b): the same rows, RAW_BATCH messages per statement (multi-row inserts, one transaction). */
async function rawBatched(url: string, rows: RawRow[]): Promise<number> {
  const pool = new Pool({ connectionString: url, max: RAW_BATCHES_IN_FLIGHT });
  pool.on('error', () => undefined);
  const known: Known = new Map();
  const batches = Math.ceil(rows.length / RAW_BATCH);
  const seconds = await runConcurrent(batches, RAW_BATCHES_IN_FLIGHT, async (b) => {
    const batch = rows.slice(b * RAW_BATCH, (b + 1) * RAW_BATCH);
    const waits = new Set<Promise<void>>();
    const fresh: Array<RawRow & { customer: string; conversation: string }> = [];
    const created = deferred();
    const done = created.promise;
    const messages = batch.map((m) => {
      let ids = known.get(m.key);
      if (ids) waits.add(ids.created);
      else {
        ids = { customer: randomUUID(), conversation: randomUUID(), created: done };
        known.set(m.key, ids);
        fresh.push({ ...m, ...ids });
      }
      return { ...m, customer: ids.customer, conversation: ids.conversation };
    });
    waits.delete(done);
    await Promise.all(waits).catch((e: unknown) => {
      created.reject(e);
      throw e;
    });
    await pool
      .query(
        `WITH c AS (INSERT INTO customers (id, display_name) SELECT * FROM unnest($1::uuid[], $2::text[])),
         i AS (INSERT INTO customer_identities (customer_id, kind, channel, address)
               SELECT * FROM unnest($1::uuid[], $3::text[], $4::text[], $5::text[])),
         v AS (INSERT INTO conversations (id, customer_id, last_channel)
               SELECT * FROM unnest($6::uuid[], $1::uuid[], $4::text[]))
       INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, address, provider_message_id)
       SELECT m.c, m.v, 'inbound', 'message', m.ch, 'delivered', m.t, m.a, m.p
       FROM unnest($7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[]) AS m(c, v, ch, t, a, p)`,
        [
          fresh.map((f) => f.customer),
          fresh.map((f) => f.name),
          fresh.map((f) => identityKind(f.channel)),
          fresh.map((f) => f.channel),
          fresh.map((f) => f.address),
          fresh.map((f) => f.conversation),
          messages.map((m) => m.customer),
          messages.map((m) => m.conversation),
          messages.map((m) => m.channel),
          messages.map((m) => m.text),
          messages.map((m) => m.address),
          messages.map((m) => m.providerMessageId),
        ],
      )
      .then(created.resolve, (e: unknown) => {
        created.reject(e);
        throw e;
      });
  });
  await pool.end();
  return rows.length / seconds;
}

/** Twilio's form for an inbound SMS, as its webhook posts it. */
function twilioSmsForm(from: string, body: string): Record<string, string> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: body,
    FromCountry: 'CN',
    To: TWILIO_NUMBER,
    ToZip: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
  };
}

/** A plain-text mail as an MTA hands it over. */
function mailOf(m: NormalizedInbound): string {
  return [
    `From: ${m.senderName ?? 'Customer'} <${m.from}>`,
    `To: Support <${INBOX}>`,
    `Subject: Order question ${m.providerMessageId.slice(0, 8)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${m.providerMessageId}@mail.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="utf-8"',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.text,
    '',
  ].join('\r\n');
}

async function main(): Promise<void> {
  const people = senders('s', CUSTOMERS);
  const messages = schedule(people, MESSAGES_PER_CUSTOMER);
  const rows = rawRows(messages);
  process.stdout.write(
    `bench:ingest: ${CUSTOMERS} customers, ${messages.length} messages (${CUSTOMERS} new senders, the rest returning), concurrency ${CONCURRENCY}\n`,
  );

  const rawDb = await freshDatabase('raw');
  const rawPerMessageRate = await rawPerMessage(rawDb.url, rows);
  await rawDb.drop();
  const batchedDb = await freshDatabase('rawbatch');
  const rawBatchedRate = await rawBatched(batchedDb.url, rows);
  await batchedDb.drop();

  const db = await freshDatabase('ingest');
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS, { maxRetriesPerRequest: 1 });
  const hub = await bootstrap(
    {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      REDIS_URL: REDIS,
      QUEUE_PREFIX: prefix,
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL,
      LOG_LEVEL: 'info',
      ADMIN_EMAIL: 'bench@bench.local',
      ADMIN_PASSWORD: 'bench-password',
      JWT_SECRET: 'bench-secret-bench-secret-bench',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: TWILIO_NUMBER,
      // Nothing is sent here; were anything to be, it goes nowhere.
      TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
      START_SMTP_RECEIVER: 'true',
      SMTP_INBOUND_PORT: '0',
      EMAIL_INBOXES: INBOX,
    },
    { logDestination: benchLogDestination() },
  );
  const pg = new Client({ connectionString: db.url });
  pg.on('error', () => undefined); // dropping the database ends it
  await pg.connect();
  try {
    // Service phase: the same messages as the raw baselines, straight into IngestService.
    const ingest = hub.app.get(IngestService);
    const serviceSeconds = await runConcurrent(messages.length, CONCURRENCY, (i) =>
      ingest.ingest(messages[i]),
    );
    const serviceRate = messages.length / serviceSeconds;

    // Webhook phase: Twilio-signed SMS forms from a worker thread (undici), timed until every
    // message is on the timeline (the webhook answers once its job row is committed).
    const url = hub.url.replace('localhost', '127.0.0.1');
    const phones: Sender[] = Array.from(
      { length: Math.max(1, Math.ceil(WEBHOOK_MESSAGES / MESSAGES_PER_CUSTOMER)) },
      (_, i) => ({ channel: 'sms', from: `+86139${String(i).padStart(8, '0')}`, name: '' }),
    );
    const smsIn = schedule(phones, MESSAGES_PER_CUSTOMER).slice(0, WEBHOOK_MESSAGES);
    const forms = smsIn.map((m) => twilioSmsForm(m.from, m.text));
    const webhookUrl = `${PUBLIC_URL}/webhooks/twilio/sms`;
    const inboundSms = async () =>
      (
        await pg.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM messages WHERE direction = 'inbound' AND channel = 'sms'`,
        )
      ).rows[0].n;
    const openJobs = async () =>
      (
        await pg.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox_jobs
           WHERE status IN ('pending', 'running') AND queue = 'inbound' AND name = 'twilio-sms'`,
        )
      ).rows[0].n;
    const smsBefore = await inboundSms();
    const webhooks = await prepareLoad({
      baseUrl: url,
      path: '/webhooks/twilio/sms',
      inFlight: CONCURRENCY * 2,
      expect: 200,
      contentType: 'application/x-www-form-urlencoded',
      bodies: forms.map((f) => new URLSearchParams(f).toString()),
      headers: forms.map((f) => ({
        'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, webhookUrl, f),
        'i-twilio-idempotency-token': randomUUID(),
      })),
    });
    const webhookStart = process.hrtime.bigint();
    await webhooks.run();
    const acceptedSeconds = Number(process.hrtime.bigint() - webhookStart) / 1e9;
    while ((await openJobs()) > 0) await new Promise((r) => setTimeout(r, 20));
    const webhookSeconds = Number(process.hrtime.bigint() - webhookStart) / 1e9;
    const smsStored = (await inboundSms()) - smsBefore;
    if (smsStored !== smsIn.length)
      throw new Error(`webhook: ${smsStored} of ${smsIn.length} messages on the timeline`);
    const webhookRate = smsIn.length / webhookSeconds;

    // SMTP phase: mails to the receiver from a worker thread (nodemailer, pooled connections);
    // each 250 comes once its mail is on the timeline.
    const mailers: Sender[] = Array.from(
      { length: Math.max(1, Math.ceil(SMTP_MESSAGES / MESSAGES_PER_CUSTOMER)) },
      (_, i) => ({ channel: 'email', from: `buyer.${i}@mail.example.com`, name: `Buyer ${i}` }),
    );
    const mailsIn = schedule(mailers, MESSAGES_PER_CUSTOMER).slice(0, SMTP_MESSAGES);
    const smtp = await prepareSmtpLoad({
      host: '127.0.0.1',
      port: hub.app.get(EmailReceiverService).boundPort!,
      inFlight: CONCURRENCY,
      mails: mailsIn.map((m) => ({ from: m.from, to: INBOX, raw: mailOf(m) })),
    });
    const smtpStart = process.hrtime.bigint();
    await smtp.run();
    const smtpRate = mailsIn.length / (Number(process.hrtime.bigint() - smtpStart) / 1e9);

    report(
      'ingest',
      {
        webhookMessagesPerSec: round(webhookRate, 0),
        webhookAcceptedPerSec: round(smsIn.length / acceptedSeconds, 0),
        smtpMessagesPerSec: round(smtpRate, 0),
        serviceMessagesPerSec: round(serviceRate, 0),
        rawPerMessagePerSec: round(rawPerMessageRate, 0),
        rawBatchedPerSec: round(rawBatchedRate, 0),
        perMessageRatio: round(serviceRate / rawPerMessageRate, 3),
        ratio: round(serviceRate / rawBatchedRate, 3),
        target: 0.3,
        webhookTarget: 1500,
      },
      [
        `webhook: ${smsIn.length} Twilio-signed SMS (${phones.length} senders, first contact then returning), ${CONCURRENCY * 2} in flight from a worker thread, POST /webhooks/twilio/sms, timed until all are on the timeline (webhookAcceptedPerSec: until the last 200)`,
        `smtp: ${mailsIn.length} plain-text mails (${mailers.length} senders) over ${CONCURRENCY} SMTP connections from a worker thread, timed until the last 250 (given once the mail is on the timeline)`,
        `service: the ${messages.length} messages above through IngestService, ${CONCURRENCY} in flight (email, SMS and WeChat senders alike); hub on PostgreSQL + Redis (BullMQ), log level info`,
        `raw per message: the same rows with pg, one transaction per message (customer, identity, conversation and message on first contact; the message after), ${CONCURRENCY} in flight`,
        `raw batched: the same rows, ${RAW_BATCH} messages per statement (multi-row inserts of each table, one transaction), ${RAW_BATCHES_IN_FLIGHT} statement(s) in flight; ratio = service / raw batched (target 0.3), perMessageRatio = service / raw per message`,
      ],
    );
  } finally {
    await pg.end();
    await hub.close();
    await db.drop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:ingest failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
