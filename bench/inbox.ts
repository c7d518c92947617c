/**
 * bench:inbox — the agents' inbox on real PostgreSQL with 1,000,000 messages in 100,000
 * conversations: p50/p99 latency of the conversation list (first page and a deep keyset page,
 * filtered), of a search (English and Chinese) and of a timeline page, through the HTTP API of
 * the booted app; and the fan-out of an inbound message to 200 agent sockets on /agents, next to
 * a bare socket.io server emitting to 200 clients in the same run.
 *
 * BENCH_DB_URL=<url> reuses an already seeded database (BENCH_KEEP_DB=1 keeps the fresh one).
 */
import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { TokenService } from '../src/auth/token.service';
import { bootstrap } from '../src/bootstrap';
import { encodeCursor } from '../src/inbox/cursor';
import { freshDatabase } from './lib/bench-db';
import { rawServer, RemoteClients } from './lib/fanout';
import { jsonClient, type JsonClient } from './lib/http-json';
import { conversationId, customerId, orderNumber, SEARCH_TERMS, seedInbox } from './lib/inbox-seed';
import { percentile, report, round } from './lib/report';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const PER_CONVERSATION = Number(process.env.BENCH_MESSAGES_PER_CONVERSATION ?? 10);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 200);
const FANOUT_MESSAGES = Number(process.env.BENCH_FANOUT_MESSAGES ?? 50);
const REDIS_URL =
  process.env.BENCH_REDIS === '0'
    ? undefined
    : (process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const TARGET_MS = 30;
const FANOUT_TARGET_MS = 100;
const PASSWORD = 'bench-password';

interface Latency {
  p50: number;
  p99: number;
}
const out = (line: string) => process.stdout.write(`${line}\n`);
const rand = (n: number) => Math.floor(Math.random() * n);

/** Sequential requests (after a warm-up), each a 200, timed end to end on the client. */
async function latency(
  api: JsonClient,
  name: string,
  pathFor: (i: number) => string,
): Promise<Latency> {
  const times: number[] = [];
  const warmup = Math.min(30, Math.ceil(ITERATIONS / 10));
  for (let i = -warmup; i < ITERATIONS; i++) {
    const path = pathFor(i < 0 ? i + warmup : i);
    const start = process.hrtime.bigint();
    const res = await api.request('GET', path);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 200)
      throw new Error(`${name}: GET ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
    if (i >= 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const l = { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) };
  out(
    `  ${name.padEnd(44)} p50 ${String(l.p50).padStart(7)} ms   p99 ${String(l.p99).padStart(7)} ms`,
  );
  return l;
}

/** Keyset cursors at random depths of the open list (what a client holds after paging that far). */
async function deepCursors(db: Client, n: number): Promise<string[]> {
  const rows = (
    await db.query(
      `SELECT s.sort_at, s.id FROM (
         SELECT COALESCE(last_message_at, created_at) AS sort_at, id, row_number() OVER (ORDER BY COALESCE(last_message_at, created_at) DESC, id DESC) AS rn
         FROM conversations WHERE status = 'open') s
       WHERE s.rn > $2 ORDER BY random() LIMIT $1`,
      [n, Math.min(2000, Math.floor(CONVERSATIONS / 20))],
    )
  ).rows as Array<{ sort_at: Date; id: string }>;
  return rows.map((r) => encodeCursor({ at: r.sort_at.toISOString(), id: r.id }));
}

async function fanout(url: string, tokens: TokenService, db: Client, api: JsonClient) {
  const agents = (
    await db.query(
      `INSERT INTO users (email, name, password_hash, role, capacity)
       SELECT 'bench-agent-' || g || '-' || $2 || '@localhost', 'Agent ' || g, 'x', 'agent', 1000 FROM generate_series(1, $1::int) g RETURNING id, email, name`,
      [AGENTS, randomBytes(3).toString('hex')],
    )
  ).rows as Array<{ id: string; email: string; name: string }>;
  const clients = await RemoteClients.connect(
    `${url}/agents`,
    agents.map((a) => ({ token: tokens.sign({ ...a, role: 'agent' }) })),
  );
  const from = `+8613700${String(rand(100_000)).padStart(5, '0')}`;
  const inbound = async (text: string) => {
    const res = await api.request('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from,
      text,
    });
    if (res.status !== 201) throw new Error(`inbound -> ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  let sample: unknown = null;
  try {
    // Warm-up: the first message opens the conversation; every socket is in its rooms after it.
    for (let i = 0; i < 5; i++)
      await clients.timeToAll(
        'message.created',
        'text',
        `warm-up ${i}`,
        () => inbound(`warm-up ${i}`),
        15_000,
      );
    const ours: number[] = [];
    for (let i = 0; i < FANOUT_MESSAGES; i++) {
      const text = `fan-out ${i}: 你好, where is my order ${orderNumber(i)}?`;
      ours.push(
        await clients.timeToAll(
          'message.created',
          'text',
          text,
          async () => (sample = await inbound(text)),
        ),
      );
    }
    ours.sort((a, b) => a - b);

    const raw = await rawServer();
    const rawClients = await RemoteClients.connect(
      raw.url,
      agents.map(() => ({})),
    );
    const rawTimes: number[] = [];
    try {
      for (let i = -5; i < FANOUT_MESSAGES; i++) {
        // The same shape as ours: the message as the API returns it, and its conversation.
        const payload = {
          message: sample,
          conversation: (sample as { conversation?: unknown }).conversation,
          n: i,
        };
        const ms = await rawClients.timeToAll('message.created', 'n', i, () =>
          raw.io.emit('message.created', payload),
        );
        if (i >= 0) rawTimes.push(ms);
      }
    } finally {
      await rawClients.close();
      await raw.close();
    }
    rawTimes.sort((a, b) => a - b);
    return {
      ours: { p50: round(percentile(ours, 50)), p99: round(percentile(ours, 99)) },
      raw: { p50: round(percentile(rawTimes, 50)), p99: round(percentile(rawTimes, 99)) },
    };
  } finally {
    await clients.close();
  }
}

async function main(): Promise<void> {
  out(
    `bench:inbox: ${CONVERSATIONS * PER_CONVERSATION} messages in ${CONVERSATIONS} conversations, ${ITERATIONS} requests per figure, ${AGENTS} agent sockets`,
  );
  const fresh = process.env.BENCH_DB_URL ? null : await freshDatabase('inbox');
  const dbUrl = process.env.BENCH_DB_URL ?? fresh!.url;
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  if (fresh) {
    const t = Date.now();
    await seedInbox(
      db,
      { conversations: CONVERSATIONS, messagesPerConversation: PER_CONVERSATION },
      out,
    );
    out(
      `  seeded in ${round((Date.now() - t) / 1000, 1)} s${process.env.BENCH_KEEP_DB ? ` (kept: BENCH_DB_URL=${dbUrl})` : ''}`,
    );
  }
  const prefix = `bench_inbox_${randomBytes(4).toString('hex')}`;
  const hub = await bootstrap({
    DATABASE_URL: dbUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: PASSWORD,
    START_SMTP_RECEIVER: 'false',
    JWT_SECRET: 'bench-secret-bench-secret-bench',
    QUEUE_PREFIX: prefix,
    ...(REDIS_URL ? { REDIS_URL } : {}),
  });
  const url = hub.url.replace('localhost', '127.0.0.1');
  const anon = jsonClient(url);
  let api: JsonClient | null = null;
  try {
    const login = await anon.request<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      email: 'admin@localhost',
      password: PASSWORD,
    });
    if (login.status !== 200 && login.status !== 201) throw new Error(`login -> ${login.status}`);
    api = jsonClient(url, login.body.accessToken);
    const cursors = await deepCursors(db, 100);
    const q = encodeURIComponent;

    const paths: Record<string, (i: number) => string> = {
      listFirst: () => '/api/v1/conversations?status=open&limit=25',
      listChannel: () => '/api/v1/conversations?status=open&channel=wechat&limit=25',
      listDeep: (i) =>
        `/api/v1/conversations?status=open&limit=25&cursor=${cursors[i % cursors.length]}`,
      searchEn: () => `/api/v1/conversations?q=${q(SEARCH_TERMS.english)}&limit=25`,
      searchZh: () => `/api/v1/conversations?q=${q(SEARCH_TERMS.chinese)}&limit=25`,
      searchZhWord: () => `/api/v1/conversations?q=${q(SEARCH_TERMS.chineseWord)}&limit=25`,
      searchOpen: () => `/api/v1/conversations?status=open&q=${q(SEARCH_TERMS.english)}&limit=25`,
      searchOrder: () => `/api/v1/conversations?q=${orderNumber(rand(CONVERSATIONS))}&limit=25`,
      timeline: () => `/api/v1/customers/${customerId(rand(CONVERSATIONS))}/timeline?limit=50`,
      view: () => `/api/v1/conversations/${conversationId(rand(CONVERSATIONS))}`,
    };
    // A freshly booted app opens its pool connections and compiles its hot paths on the first requests.
    for (let round = 0; round < 20; round++)
      for (const path of Object.values(paths)) await api.request('GET', path(round));

    out('HTTP latency (sequential, keep-alive):');
    const listFirst = await latency(api, 'list status=open, first page', paths.listFirst);
    const listChannel = await latency(
      api,
      'list status=open&channel=wechat, first page',
      paths.listChannel,
    );
    const listDeep = await latency(api, 'list status=open, deep cursor page', paths.listDeep);
    const searchEn = await latency(api, `search "${SEARCH_TERMS.english}"`, paths.searchEn);
    const searchZh = await latency(api, `search "${SEARCH_TERMS.chinese}"`, paths.searchZh);
    const searchZhWord = await latency(
      api,
      `search "${SEARCH_TERMS.chineseWord}"`,
      paths.searchZhWord,
    );
    const searchOpen = await latency(
      api,
      `search "${SEARCH_TERMS.english}" status=open`,
      paths.searchOpen,
    );
    const searchOrder = await latency(api, 'search an order number', paths.searchOrder);
    const timeline = await latency(api, 'customer timeline page (50)', paths.timeline);
    const view = await latency(api, 'conversation view (with messages)', paths.view);

    out(
      `Fan-out of an inbound message to ${AGENTS} agent sockets${REDIS_URL ? ' (socket.io on the Redis adapter)' : ''}:`,
    );
    const fan = await fanout(url, hub.app.get(TokenService), db, api);
    out(
      `  ours: POST /sandbox/inbound -> message.created at all ${AGENTS}: p50 ${fan.ours.p50} ms, p99 ${fan.ours.p99} ms`,
    );
    out(
      `  raw socket.io emit to ${AGENTS} clients:                   p50 ${fan.raw.p50} ms, p99 ${fan.raw.p99} ms`,
    );

    const listP99 = Math.max(listFirst.p99, listChannel.p99, listDeep.p99);
    const searchP99 = Math.max(
      searchEn.p99,
      searchZh.p99,
      searchZhWord.p99,
      searchOpen.p99,
      searchOrder.p99,
    );
    const timelineP99 = Math.max(timeline.p99, view.p99);
    report(
      'inbox',
      {
        listP99Ms: listP99,
        searchP99Ms: searchP99,
        timelineP99Ms: timelineP99,
        fanoutP99Ms: fan.ours.p99,
        rawFanoutP99Ms: fan.raw.p99,
        ratio: round(fan.ours.p99 / Math.max(fan.raw.p99, 0.01), 2),
        target: TARGET_MS,
        fanoutTarget: FANOUT_TARGET_MS,
      },
      [
        `  list/search/timeline p99 target ${TARGET_MS} ms: ${listP99 < TARGET_MS ? 'met' : 'MISSED'}/${searchP99 < TARGET_MS ? 'met' : 'MISSED'}/${timelineP99 < TARGET_MS ? 'met' : 'MISSED'}; fan-out p99 target ${FANOUT_TARGET_MS} ms: ${fan.ours.p99 < FANOUT_TARGET_MS ? 'met' : 'MISSED'}`,
      ],
    );
  } finally {
    api?.close();
    anon.close();
    await hub.close();
    await db.end();
    if (fresh && !process.env.BENCH_KEEP_DB) await fresh.drop();
    if (REDIS_URL) await dropRedisKeys(REDIS_URL, prefix);
  }
}

/** The BullMQ and socket.io keys this run left under its own prefix. */
async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:inbox failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
