/**
 * Messages per second from POST /api/v1/messages to the sandbox transport, through the whole
 * hub (routing, render, outbox row, BullMQ, DeliveryService, delivery_attempts) on real
 * PostgreSQL and Redis at the default log level (info), against the floor of a send on the same
 * substrates (bench/lib/send-floor.ts; `ratio`) and raw BullMQ add-and-process of as many jobs as
 * the hub added, carrying as many rows (`rawRatio`), in the same run.
 * Run: npm run bench:send   (PG at BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres,
 * Redis at REDIS_URL or redis://127.0.0.1:6379)
 */
import { randomBytes, randomUUID } from 'crypto';
import { writeFileSync } from 'fs';
import { Session } from 'inspector';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { bootstrap } from '../src/bootstrap';
import { runMigrations } from '../src/database/run-migrations';
import { redisOptionsFromUrl } from '../src/queue/redis-options';
import { jsonClient } from './lib/http-json';
import { prepareLoad } from './lib/http-load';
import { backendsCpuMs } from './lib/backend-cpu';
import { benchLogDestination } from './lib/hub-env';
import { batchingBetween, dropPrefix, queueCounts, type Batching } from './lib/queue-batching';
import { report, round } from './lib/report';
import { sendFloor } from './lib/send-floor';

const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_MESSAGES ?? 2000);
/**
 * Unmeasured messages (or jobs, or requests) before each measured phase, the hub's, raw BullMQ's
 * and the floor's alike: each is then measured warm. Raw BullMQ's first 2,000 jobs in a process
 * run at about a third of its steady rate here (JIT, Lua scripts loaded, connections), so a cold
 * denominator flattered or hurt the ratio by whatever state the earlier phases left.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? N);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 32);
const CUSTOMERS = 200;

async function pool<T>(
  count: number,
  inFlight: number,
  fn: (i: number) => Promise<T>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hub_bench_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  if (process.env.BENCH_SYNCHRONOUS_COMMIT === 'off') {
    const c = new Client({ connectionString: PG });
    await c.connect();
    await c.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    await c.end();
  }
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: PG });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Rows per job as the hub's jobs carried them: `jobs` jobs sharing `rows` rows as evenly as
 * they go (the hub's own mix is single-row jobs and batches of up to BATCH_MAX; the mean is kept).
 */
function jobSizes(b: Batching): number[] {
  const jobs = Math.max(1, b.jobs);
  const base = Math.floor(b.rows / jobs);
  const extra = b.rows % jobs;
  return Array.from({ length: jobs }, (_, i) => base + (i < extra ? 1 : 0)).filter((n) => n > 0);
}

/**
 * Raw BullMQ doing the hub's queue work for `messages` sends: one add per job (IN_FLIGHT in
 * flight), each job carrying its rows' ids as the hub's do, a worker (concurrency 16) taking
 * each job and its rows. Answers sends per second.
 */
async function rawBullmq(prefix: string, sizes: number[], messages: number): Promise<number> {
  const connection = redisOptionsFromUrl(REDIS) as never;
  const queue = new Queue('raw', { connection, prefix });
  const payloads = sizes.map((n) => ({
    outboxIds: Array.from({ length: n }, () => randomUUID()),
  }));
  let rows = 0;
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => (finished = r));
  const worker = new Worker(
    'raw',
    async (job) => {
      rows += (job.data as { outboxIds: string[] }).outboxIds.length;
    },
    { connection, prefix, concurrency: 16 },
  );
  worker.on('completed', () => {
    if (++done === payloads.length) finished();
  });
  await worker.waitUntilReady();
  const start = process.hrtime.bigint();
  await pool(payloads.length, IN_FLIGHT, (i) =>
    queue.add('outbox-batch', payloads[i], { removeOnComplete: true, removeOnFail: 1000 }),
  );
  await all;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  if (rows !== sizes.reduce((s, n) => s + n, 0)) throw new Error(`raw BullMQ: ${rows} rows taken`);
  return messages / seconds;
}

/** CPU profile of the measured phase only (BENCH_PROFILE=<file>.cpuprofile). */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, res) => (err ? reject(err) : resolve(res))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return async (file) => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS, { maxRetriesPerRequest: 1 });
  const hub = await bootstrap(
    {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      REDIS_URL: REDIS,
      QUEUE_PREFIX: prefix,
      ADMIN_EMAIL: 'bench@bench.local',
      ADMIN_PASSWORD: 'bench-password-1',
      JWT_SECRET: 'bench-secret-bench-secret-bench',
      LOG_LEVEL: 'info',
      START_SMTP_RECEIVER: 'false',
    },
    { logDestination: benchLogDestination() },
  );
  const url = hub.url.replace('localhost', '127.0.0.1');
  try {
    // node:http with a keep-alive agent: the global fetch (undici) costs milliseconds per call here.
    const anonymous = jsonClient(url);
    const login = await anonymous.request<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      email: 'bench@bench.local',
      password: 'bench-password-1',
    });
    anonymous.close();
    const client = jsonClient(url, login.body.accessToken);
    const post = async (path: string, body: unknown) => {
      const r = await client.request<Record<string, unknown>>('POST', path, body);
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const c = await post('/api/v1/customers', {
        displayName: `Bench ${i}`,
        identities: [{ channel: 'sms', address: `+86138${String(10000000 + i)}` }],
      });
      customers.push(c.id as string);
    }
    const order = { id: 'A-1001', carrier: 'SF', trackingUrl: 'https://t.example/A' };
    const pg = new Client({ connectionString: db.url });
    // Dropping the database after a failure ends this connection: not an error worth a crash.
    pg.on('error', () => undefined);
    await pg.connect();
    const delivered = async () =>
      ((await pg.query(`SELECT count(*)::int AS n FROM sandbox_outbox`)).rows[0] as { n: number })
        .n;

    if (process.env.BENCH_DEBUG) {
      for (const [path, body] of [
        [
          '/api/v1/routing/preview',
          {
            customerId: customers[0],
            topic: 'orders',
            urgency: 'high',
            purpose: 'transactional',
            template: 'order-shipped',
            data: { order },
          },
        ],
        ['/api/v1/customers', { displayName: 'x', identities: [] }],
      ] as const) {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < 50; i++) await post(path, body);
        process.stderr.write(
          `${path}: ${Number(process.hrtime.bigint() - t0) / 1e6 / 50} ms/request\n`,
        );
      }
    }
    const sends = (count: number, key: string) =>
      prepareLoad({
        baseUrl: url,
        token: login.body.accessToken,
        path: '/api/v1/messages',
        inFlight: IN_FLIGHT,
        expect: 202,
        bodies: Array.from({ length: count }, (_, i) => ({
          customerId: customers[i % CUSTOMERS],
          topic: 'orders',
          urgency: 'high',
          purpose: 'transactional',
          template: 'order-shipped',
          data: { order },
          idempotencyKey: `${key}-${i}`,
        })),
      });
    if (WARMUP > 0) {
      await (await sends(WARMUP, 'warmup')).run();
      while ((await delivered()) < WARMUP) await new Promise((r) => setTimeout(r, 10));
    }
    const load = await sends(N, 'bench');
    const countsBefore = await queueCounts(redis, pg, prefix);
    const profiler = process.env.BENCH_PROFILE ? await startProfile() : null;
    const pgCpu = await backendsCpuMs(pg);
    const cpu = process.cpuUsage();
    const threadCpu = performance.eventLoopUtilization();
    const start = process.hrtime.bigint();
    const loadMs = await load.run();
    if (process.env.BENCH_DEBUG)
      process.stderr.write(
        `posted in ${Number(process.hrtime.bigint() - start) / 1e9}s, delivered so far ${(await delivered()) - WARMUP}\n`,
      );
    while ((await delivered()) < WARMUP + N) await new Promise((r) => setTimeout(r, 10));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const busy = performance.eventLoopUtilization(threadCpu).utilization;
    const pgUsed = (await backendsCpuMs(pg)) - pgCpu;
    const batching = batchingBetween(countsBefore, await queueCounts(redis, pg, prefix));
    if (profiler) await profiler(process.env.BENCH_PROFILE!);
    if (process.env.BENCH_DEBUG)
      process.stderr.write(
        `this process: ${((used.user + used.system) / 1000 / N).toFixed(3)} ms CPU per message (sys ${(used.system / 1000 / N).toFixed(3)}, ${Math.round(((used.user + used.system) / 1e6 / seconds) * 100)}% of the run, load generator's thread included, which was busy ${(loadMs / N).toFixed(3)} ms per message); the hub's event loop busy ${Math.round(busy * 100)}% of the run, ${((busy * seconds * 1000) / N).toFixed(3)} ms per message; PostgreSQL backends of the database: ${(pgUsed / N).toFixed(3)} ms per message\n`,
      );
    await pg.end();
    client.close();
    const messagesPerSec = N / seconds;
    if (process.env.BENCH_DEBUG)
      process.stderr.write(`the hub's jobs in the measured phase: ${JSON.stringify(batching)}\n`);
    const sizes = jobSizes(batching);
    const rowsPerJob = batching.rows / Math.max(1, batching.jobs);
    if (WARMUP > 0) await rawBullmq(prefix, sizes, WARMUP);
    const rawPerSec = await rawBullmq(prefix, sizes, N);
    const floor = await sendFloor({
      databaseUrl: db.url,
      connection: redisOptionsFromUrl(REDIS) as never,
      prefix,
      messages: N,
      warmup: WARMUP,
      inFlight: IN_FLIGHT,
    });
    // 0 when the backends are not on this machine (/proc unreadable): no ceiling to print then.
    const pgMsPerMessage = pgUsed / N;
    const pgCeiling = pgMsPerMessage > 0 ? 1000 / pgMsPerMessage / floor.perSec : null;
    const perQueue = batching.queues.map((q) => `${q.queue} ${q.jobs} jobs / ${q.rows} rows`);
    report(
      'send',
      {
        messagesPerSec: Math.round(messagesPerSec),
        rowsPerJob: round(rowsPerJob, 2),
        rawPerSec: Math.round(rawPerSec),
        rawRatio: round(messagesPerSec / rawPerSec, 3),
        floorPerSec: Math.round(floor.perSec),
        floorRowsPerJob: round(floor.rowsPerJob, 2),
        ...(pgCeiling === null
          ? {}
          : { pgMsPerMessage: round(pgMsPerMessage, 3), pgCeilingRatio: round(pgCeiling, 3) }),
        ratio: round(messagesPerSec / floor.perSec, 3),
        target: 0.6,
        sendsTarget: 1500,
      },
      [
        `send: ${N} messages after ${WARMUP} unmeasured ones, ${IN_FLIGHT} requests in flight from a load-generator thread, POST /api/v1/messages -> sandbox sms (real BullMQ + PostgreSQL, log level info); its BullMQ jobs: ${perQueue.join(', ') || 'none'}`,
        `raw: BullMQ add + process of the same number of jobs carrying the same rows (${sizes.length} jobs, ${round(rowsPerJob, 2)} rows each on average, their ids in the job as the hub's), ${IN_FLIGHT} adds in flight, concurrency 16, after as many unmeasured; rawRatio = messagesPerSec / rawPerSec`,
        `floor: the same POSTs to plain node:http, one batched INSERT, one BullMQ job per batch, one batched UPDATE (no framework, auth, validation, routing, template, consent, attempts or events), warmed up alike: the most any pipeline with a committed row per request reaches here; ratio = messagesPerSec / floorPerSec (target 0.6), sendsTarget in messages/s`,
        ...(pgCeiling === null
          ? []
          : [
              `pgMsPerMessage: CPU of the PostgreSQL backends per message sent (the hub's writes and reads); pgCeilingRatio: the ratio to the floor the hub would reach if PostgreSQL had a core to itself and nothing else cost anything`,
            ]),
      ],
    );
  } catch (e) {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    throw e;
  } finally {
    await hub.close();
    await db.drop();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
