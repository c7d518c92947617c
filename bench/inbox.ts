/**
 * bench:inbox — the agents' inbox on real PostgreSQL with BENCH_MESSAGES (default 5,000,000)
 * messages, 10 per conversation, skewed over customers (most with about five conversations, a
 * few with 200 conversations and 2,000 messages) and 20 teams (bench/lib/inbox-seed.ts). Then
 * BENCH_CLIENTS (default 50) concurrent clients, each logged in as an agent of one or two teams
 * (their visibility scope) and pausing BENCH_THINK_MS (default 1000) on average before each
 * request, run the web app's own inbox requests (the same query strings as
 * web/src/components/Inbox.tsx) from a worker thread: the open list, its next page by cursor, a
 * channel filter, a search for a term drawn from an English and Chinese vocabulary, and opening a
 * conversation (its timeline of messages); p50/p99 of each. Then the fan-out of an inbound message
 * to 200 agent sockets on /agents, next to a bare socket.io server emitting to 200 clients in the
 * same run. The hub runs at the default log level (lines to a file).
 *
 * BENCH_DB_URL=<url> reuses an already seeded database (BENCH_KEEP_DB=1 keeps the fresh one;
 * BENCH_SEED_ONLY=1 seeds, keeps it and stops).
 */
import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import pino from 'pino';
import { Worker } from 'worker_threads';
import { TokenService } from '../src/auth/token.service';
import { bootstrap } from '../src/bootstrap';
import { freshDatabase } from './lib/bench-db';
import { rawServer, RemoteClients } from './lib/fanout';
import { jsonClient, type JsonClient } from './lib/http-json';
import type { InboxLoadResult, InboxLoadSpec, Kind } from './lib/inbox-load.worker';
import {
  inboxShape,
  orderNumber,
  SEARCH_VOCABULARY,
  seedInbox,
  TEAMS,
  teamId,
} from './lib/inbox-seed';
import { percentile, report, round } from './lib/report';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5_000_000);
const PER_CONVERSATION = Number(process.env.BENCH_MESSAGES_PER_CONVERSATION ?? 10);
const CONVERSATIONS = Math.ceil(MESSAGES / PER_CONVERSATION);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 20);
/** A client's mean pause before each request (uniform up to twice this). */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 200);
const FANOUT_MESSAGES = Number(process.env.BENCH_FANOUT_MESSAGES ?? 50);
/** Seed, keep the database and stop (then BENCH_DB_URL=... runs the measurements on it). */
const SEED_ONLY = process.env.BENCH_SEED_ONLY === '1';
const REDIS_URL =
  process.env.BENCH_REDIS === '0'
    ? undefined
    : (process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const TARGET_MS = 30;
const SEARCH_TARGET_MS = 50;
const FANOUT_TARGET_MS = 100;
const PASSWORD = 'bench-password';

interface Latency {
  p50: number;
  p99: number;
}
const out = (line: string) => process.stdout.write(`${line}\n`);
const rand = (n: number) => Math.floor(Math.random() * n);

/** BENCH_CLIENTS agents, each in one or two of the teams, with their tokens. */
async function agentTokens(db: Client, tokens: TokenService): Promise<string[]> {
  const agents = (
    await db.query(
      `INSERT INTO users (email, name, password_hash, role, capacity)
       SELECT 'bench-inbox-agent-' || g || '-' || $2 || '@localhost', 'Inbox agent ' || g, 'x', 'agent', 20
       FROM generate_series(0, $1::int - 1) g RETURNING id, email, name`,
      [CLIENTS, randomBytes(3).toString('hex')],
    )
  ).rows as Array<{ id: string; email: string; name: string }>;
  for (const [i, a] of agents.entries()) {
    const teams = i % 2 === 0 ? [i % TEAMS] : [i % TEAMS, (i + 7) % TEAMS];
    for (const t of teams)
      await db.query(`INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)`, [
        teamId(t),
        a.id,
      ]);
  }
  return agents.map((a) => tokens.sign({ ...a, role: 'agent' }));
}

/** Runs the agents' sessions on a worker thread; the hub answers on this one. */
async function agentLoad(spec: InboxLoadSpec): Promise<Extract<InboxLoadResult, { ok: true }>> {
  const worker = new Worker(
    `require(${JSON.stringify(join(__dirname, 'lib', 'inbox-load.worker.ts'))})`,
    { eval: true, workerData: spec },
  );
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await next(); // 'ready'
  const done = next();
  worker.postMessage('go');
  const result = (await done) as InboxLoadResult;
  await worker.terminate();
  if (!result.ok) throw new Error(result.error);
  return result;
}

function latencyOf(times: number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
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
  const shape = inboxShape(CONVERSATIONS);
  out(
    `bench:inbox: ${CONVERSATIONS * PER_CONVERSATION} messages in ${CONVERSATIONS} conversations of ${shape.customers} customers, ${TEAMS} teams; ${CLIENTS} agents x ${SESSIONS} sessions; ${AGENTS} agent sockets`,
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
      `  seeded in ${round((Date.now() - t) / 1000, 1)} s${process.env.BENCH_KEEP_DB || SEED_ONLY ? ` (kept: BENCH_DB_URL=${dbUrl})` : ''}`,
    );
  }
  if (SEED_ONLY) {
    await db.end();
    return;
  }
  const prefix = `bench_inbox_${randomBytes(4).toString('hex')}`;
  const logFile = join(tmpdir(), `bench-inbox-${prefix}.log`);
  const hub = await bootstrap(
    {
      DATABASE_URL: dbUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ADMIN_PASSWORD: PASSWORD,
      START_SMTP_RECEIVER: 'false',
      JWT_SECRET: 'bench-secret-bench-secret-bench',
      QUEUE_PREFIX: prefix,
      ...(REDIS_URL ? { REDIS_URL } : {}),
    },
    // The default log level, its lines written to a file rather than among the figures.
    { logDestination: pino.destination({ dest: logFile, sync: false }) },
  );
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
    const tokens = await agentTokens(db, hub.app.get(TokenService));
    const terms = [
      ...SEARCH_VOCABULARY.english,
      ...SEARCH_VOCABULARY.chinese,
      orderNumber(rand(CONVERSATIONS)),
    ];
    const spec = {
      baseUrl: url,
      tokens,
      terms,
      channels: ['wechat', 'sms', 'email', 'livechat'],
      thinkMs: THINK_MS,
    };
    // A freshly booted app opens its pool connections and compiles its hot paths on the first requests.
    await agentLoad({ ...spec, sessions: 2, thinkMs: 0 });
    const load = await agentLoad({ ...spec, sessions: SESSIONS });
    out(
      `Agents' inbox requests (${CLIENTS} concurrent clients pausing ${THINK_MS} ms on average before each request, ${load.requests} requests in ${round(load.seconds, 1)} s, ${Math.round(load.requests / load.seconds)}/s):`,
    );
    const names: Record<Kind, string> = {
      list: 'list status=open, first page',
      listNext: 'list status=open, next page (cursor)',
      listChannel: 'list status=open&channel=..., first page',
      search: `search (${terms.length} terms, en/zh, status=open or all)`,
      timeline: 'open a conversation (its messages)',
    };
    const lat = {} as Record<Kind, Latency>;
    for (const kind of Object.keys(names) as Kind[]) {
      lat[kind] = latencyOf(load.ms[kind]);
      out(
        `  ${names[kind].padEnd(44)} n ${String(load.ms[kind].length).padStart(5)}   p50 ${String(lat[kind].p50).padStart(7)} ms   p99 ${String(lat[kind].p99).padStart(7)} ms`,
      );
    }

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

    if (load.searchTimeouts.length > 0) {
      const byPath = new Map<string, number>();
      for (const p of load.searchTimeouts) byPath.set(p, (byPath.get(p) ?? 0) + 1);
      out(
        `  searches answered 503 (the hub's search timeout), counted in the search figures: ${load.searchTimeouts.length}: ${[
          ...byPath,
        ]
          .map(([p, n]) => `${p} x${n}`)
          .join(', ')}`,
      );
    }
    const listP99 = latencyOf([...load.ms.list, ...load.ms.listNext, ...load.ms.listChannel]).p99;
    const searchP99 = lat.search.p99;
    const timelineP99 = lat.timeline.p99;
    report(
      'inbox',
      {
        messages: CONVERSATIONS * PER_CONVERSATION,
        clients: CLIENTS,
        listP99Ms: listP99,
        searchP99Ms: searchP99,
        searchTimeouts: load.searchTimeouts.length,
        timelineP99Ms: timelineP99,
        fanoutP99Ms: fan.ours.p99,
        rawFanoutP99Ms: fan.raw.p99,
        ratio: round(fan.ours.p99 / Math.max(fan.raw.p99, 0.01), 2),
        target: TARGET_MS,
        searchTarget: SEARCH_TARGET_MS,
        fanoutTarget: FANOUT_TARGET_MS,
      },
      [
        `  list/timeline p99 target ${TARGET_MS} ms: ${listP99 < TARGET_MS ? 'met' : 'MISSED'}/${timelineP99 < TARGET_MS ? 'met' : 'MISSED'}; search p99 target ${SEARCH_TARGET_MS} ms: ${searchP99 < SEARCH_TARGET_MS ? 'met' : 'MISSED'}; fan-out p99 target ${FANOUT_TARGET_MS} ms: ${fan.ours.p99 < FANOUT_TARGET_MS ? 'met' : 'MISSED'} (hub log: ${logFile})`,
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
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 500);
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
