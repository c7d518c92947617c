/**
 * bench:ingest — inbound messages per second through the ingest service and through
 * POST /api/v1/sandbox/inbound on real PostgreSQL, next to raw `pg` inserts of the same rows.
 * 10,000 customers; every customer writes first once (new sender) and then again (returning).
 */
import { randomUUID } from 'crypto';
import { Pool } from 'pg';
import { bootstrap } from '../src/bootstrap';
import type { NormalizedInbound } from '../src/channels/channel-port';
import { IngestService } from '../src/ingest/ingest.service';
import { freshDatabase, runConcurrent } from './lib/bench-db';
import { prepareLoad } from './lib/http-load';
import { report, round } from './lib/report';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const MESSAGES_PER_CUSTOMER = Number(process.env.BENCH_MESSAGES_PER_CUSTOMER ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const HTTP_MESSAGES = Number(process.env.BENCH_HTTP_MESSAGES ?? 10_000);

type Sender = { channel: 'email' | 'sms' | 'wechat'; from: string; name: string };

function senders(tag: string, n: number): Sender[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i % 3;
    if (k === 0)
      return { channel: 'email', from: `Customer.${tag}${i}@Example.com`, name: `Customer ${i}` };
    if (k === 1)
      return {
        channel: 'sms',
        from: `+86 138 ${String(10_000_000 + i + (tag === 'h' ? 5_000_000 : 0)).slice(0, 4)} ${String(i).padStart(4, '0')}`,
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

async function rawInserts(url: string, messages: NormalizedInbound[]): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 20 });
  pool.on('error', () => undefined); // the database is dropped right after; idle clients may see it go
  // Raw: the same rows (customer, identity and conversation for a first contact; the message always),
  // addresses already normalized, ids already known: no lookups, no locks, no events.
  const known = new Map<string, { customer: string; conversation: string }>();
  const norm = (m: NormalizedInbound) =>
    m.channel === 'sms' ? m.from.replace(/\s/g, '') : m.from.toLowerCase();
  const seconds = await runConcurrent(messages.length, CONCURRENCY, async (i) => {
    const m = messages[i];
    const key = `${m.channel}:${norm(m)}`;
    let ids = known.get(key);
    if (!ids) {
      ids = { customer: randomUUID(), conversation: randomUUID() };
      known.set(key, ids);
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`INSERT INTO customers (id, display_name) VALUES ($1, $2)`, [
          ids.customer,
          m.senderName ?? norm(m),
        ]);
        await c.query(
          `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, $2, $3, $4)`,
          [ids.customer, m.channel === 'sms' ? 'phone' : m.channel, m.channel, norm(m)],
        );
        await c.query(
          `INSERT INTO conversations (id, customer_id, last_channel) VALUES ($1, $2, $3)`,
          [ids.conversation, ids.customer, m.channel],
        );
        await c.query(
          `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, address, provider_message_id) VALUES ($1, $2, 'inbound', 'message', $3, 'delivered', $4, $5, $6)`,
          [ids.customer, ids.conversation, m.channel, m.text, norm(m), m.providerMessageId],
        );
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    } else {
      await pool.query(
        `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, address, provider_message_id) VALUES ($1, $2, 'inbound', 'message', $3, 'delivered', $4, $5, $6)`,
        [ids.customer, ids.conversation, m.channel, m.text, norm(m), m.providerMessageId],
      );
    }
  });
  await pool.end();
  return messages.length / seconds;
}

async function main(): Promise<void> {
  const people = senders('s', CUSTOMERS);
  const messages = schedule(people, MESSAGES_PER_CUSTOMER);
  process.stdout.write(
    `bench:ingest: ${CUSTOMERS} customers, ${messages.length} messages (${CUSTOMERS} new senders, the rest returning), concurrency ${CONCURRENCY}\n`,
  );

  const rawDb = await freshDatabase('raw');
  const rawRate = await rawInserts(rawDb.url, messages);
  await rawDb.drop();

  const db = await freshDatabase('ingest');
  const hub = await bootstrap({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: 'bench-password',
    START_SMTP_RECEIVER: 'false',
    JWT_SECRET: 'bench-secret-bench-secret-bench',
  });
  try {
    const ingest = hub.app.get(IngestService);
    const serviceSeconds = await runConcurrent(messages.length, CONCURRENCY, (i) =>
      ingest.ingest(messages[i]),
    );
    const serviceRate = messages.length / serviceSeconds;

    const url = hub.url.replace('localhost', '127.0.0.1');
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@localhost', password: 'bench-password' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const httpPeople = senders('h', Math.max(1, Math.round(HTTP_MESSAGES / MESSAGES_PER_CUSTOMER)));
    const httpMessages = schedule(httpPeople, MESSAGES_PER_CUSTOMER).slice(0, HTTP_MESSAGES);
    // From a worker thread (undici), beside the hub as a webhook sender would be: the global
    // fetch on the hub's own event loop cost it more per request than the ingest itself.
    const load = await prepareLoad({
      baseUrl: url,
      token: accessToken,
      path: '/api/v1/sandbox/inbound',
      inFlight: CONCURRENCY * 2,
      expect: 201,
      bodies: httpMessages.map((m) => ({
        channel: m.channel,
        from: m.from,
        text: m.text,
        name: m.senderName,
        id: m.providerMessageId,
      })),
    });
    const httpStart = process.hrtime.bigint();
    await load.run();
    const httpRate = httpMessages.length / (Number(process.hrtime.bigint() - httpStart) / 1e9);
    report(
      'ingest',
      {
        rawInsertsPerSec: round(rawRate, 0),
        serviceMessagesPerSec: round(serviceRate, 0),
        httpMessagesPerSec: round(httpRate, 0),
        ratio: round(serviceRate / rawRate, 3),
        httpRatio: round(httpRate / rawRate, 3),
        target: 0.4,
        httpTarget: 1500,
      },
      [
        `  ingest service: ${round(serviceRate / rawRate, 3)} x raw (target 0.4); HTTP: ${round(httpRate, 0)} msg/s (target 1500)`,
      ],
    );
  } finally {
    await hub.close();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:ingest failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
