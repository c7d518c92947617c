/**
 * Campaign fan-out: N synthetic customers (varied identities, marketing consents, preference
 * matrices, quiet hours and timezones, generated server-side with INSERT ... SELECT) routed
 * (pure decideRoute over one bulk context query per part of a batch), rendered, written
 * (recipients, messages, and the chunk jobs that carry their sends and first fallback checks) and
 * enqueued on real BullMQ by the campaign batch job, against raw BullMQ addBulk of N jobs in the
 * same run. Nothing consumes the queues here (api role): a chunk job stages and runs its
 * messages' own send jobs when a worker takes it (bench:send measures sending). Memory stays
 * flat: customers are read part by part by keyset, never all at once.
 * Run: npm run bench:campaign   (BENCH_CUSTOMERS, default 100000; BENCH_BATCH, default 5000;
 * BENCH_SYNCHRONOUS_COMMIT=off to skip WAL flushes at commit; BENCH_KEEP_DB=1 keeps the database; PG at BENCH_PG_URL, Redis at REDIS_URL)
 */
import { randomBytes, randomUUID } from 'crypto';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { bootstrap } from '../src/bootstrap';
import { CampaignFanoutService } from '../src/campaigns/campaign-fanout.service';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { ALL_QUEUES } from '../src/queue/queue-names';
import { redisOptionsFromUrl } from '../src/queue/redis-options';
import { freshDatabase } from './lib/bench-db';
import { backendsCpuMs } from './lib/backend-cpu';
import { report, round } from './lib/report';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const SEED_CHUNK = 100_000;
const CONCURRENCY = 2;

let peakRss = 0;
let peakHeap = 0;
/** Peak RSS of each half of the fan-out (by recipients done): flat memory keeps them level. */
const halves = { current: -1, peak: [0, 0] };
const sampleRss = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  if (halves.current >= 0)
    halves.peak[halves.current] = Math.max(halves.peak[halves.current], m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};

async function seed(url: string): Promise<void> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  await pg.query(`SET synchronous_commit = off`);
  const zones = `ARRAY['UTC','Asia/Shanghai','America/New_York','Europe/Berlin','Asia/Tokyo','Australia/Sydney','America/Sao_Paulo']`;
  for (let from = 1; from <= N; from += SEED_CHUNK) {
    const to = Math.min(N, from + SEED_CHUNK - 1);
    await pg.query(
      `INSERT INTO customers (display_name, locale, timezone, tags, attributes, preferences)
       SELECT 'Customer ' || g, CASE WHEN g % 5 = 0 THEN 'zh-CN' ELSE 'en' END, (${zones})[1 + g % 7], ARRAY['bench'],
              jsonb_build_object('i', g, 'plan', CASE WHEN g % 3 = 0 THEN 'pro' ELSE 'free' END),
              jsonb_build_object(
                'matrix', CASE WHEN g % 4 = 0 THEN jsonb_build_array(jsonb_build_object('topic', 'promo', 'urgency', '*', 'channels', jsonb_build_array('sms', 'email')))
                               WHEN g % 4 = 1 THEN jsonb_build_array(jsonb_build_object('topic', '*', 'urgency', '*', 'channels', jsonb_build_array('wechat', 'email')))
                               ELSE '[]'::jsonb END,
                'quietHours', CASE WHEN g % 6 = 0 THEN jsonb_build_object('start', '22:00', 'end', '08:00') ELSE 'null'::jsonb END)
       FROM generate_series($1::int, $2::int) g`,
      [from, to],
    );
    sampleRss();
  }
  // Identities and consents by the customer's index: email for 90%, phone for 50%, WeChat for 25%;
  // marketing consent granted on email for 70%, on SMS for 30%, revoked on email for 5%.
  await pg.query(`
    INSERT INTO customer_identities (customer_id, kind, channel, address)
    SELECT id, 'email', 'email', 'c' || (attributes->>'i') || '@bench.example.com' FROM customers WHERE (attributes->>'i')::int % 10 <> 9
    UNION ALL SELECT id, 'phone', 'sms', '+8613' || lpad((attributes->>'i'), 9, '0') FROM customers WHERE (attributes->>'i')::int % 2 = 0
    UNION ALL SELECT id, 'wechat', 'wechat', 'wx_' || (attributes->>'i') FROM customers WHERE (attributes->>'i')::int % 4 = 1`);
  sampleRss();
  await pg.query(`
    INSERT INTO consents (customer_id, channel, purpose, status, source)
    SELECT id, 'email', 'marketing', 'granted', 'bench' FROM customers WHERE (attributes->>'i')::int % 10 < 7
    UNION ALL SELECT id, 'sms', 'marketing', 'granted', 'bench' FROM customers WHERE (attributes->>'i')::int % 10 IN (0, 2, 4)
    UNION ALL SELECT id, 'wechat', 'marketing', 'granted', 'bench' FROM customers WHERE (attributes->>'i')::int % 8 = 1`);
  await pg.query(`
    INSERT INTO consents (customer_id, channel, purpose, status, source)
    SELECT id, 'email', 'marketing', 'revoked', 'bench' FROM customers WHERE (attributes->>'i')::int % 20 = 3`);
  await pg.query(`ANALYZE`);
  await pg.end();
  sampleRss();
}

/** CPU ms used so far by the PostgreSQL backends serving this database (debug only). */
async function backendsCpu(url: string): Promise<number> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return await backendsCpuMs(pg);
  } finally {
    await pg.end();
  }
}

async function rawAddBulk(prefix: string): Promise<number> {
  const queue = new Queue('raw', { connection: redisOptionsFromUrl(REDIS) as never, prefix });
  await queue.waitUntilReady();
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i += BATCH) {
    const jobs = [];
    for (let j = i; j < Math.min(N, i + BATCH); j++) {
      const id = randomUUID();
      jobs.push({
        name: 'outbox',
        data: { outboxId: id },
        opts: { jobId: `${id}-${Date.now()}`, removeOnComplete: true, removeOnFail: 1000 },
      });
    }
    await queue.addBulk(jobs);
    sampleRss();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await queue.obliterate({ force: true });
  await queue.close();
  return N / seconds;
}

/** Jobs waiting on the queues (nothing consumes them in this process). */
async function enqueued(prefix: string): Promise<number> {
  let n = 0;
  for (const { name } of ALL_QUEUES) {
    const q = new Queue(name, { connection: redisOptionsFromUrl(REDIS) as never, prefix });
    const c = await q.getJobCounts('waiting', 'delayed', 'prioritized');
    n += (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
    await q.close();
  }
  return n;
}

async function obliterate(prefix: string): Promise<void> {
  for (const { name } of ALL_QUEUES) {
    const q = new Queue(name, { connection: redisOptionsFromUrl(REDIS) as never, prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
}

async function main(): Promise<void> {
  const rss = setInterval(sampleRss, 100);
  const db = await freshDatabase('campaign');
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  if (process.env.BENCH_SYNCHRONOUS_COMMIT === 'off') {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query(
      `ALTER DATABASE ${new URL(db.url).pathname.slice(1)} SET synchronous_commit = off`,
    );
    await pg.end();
  }
  const seedStart = process.hrtime.bigint();
  await seed(db.url);
  const seedSeconds = Number(process.hrtime.bigint() - seedStart) / 1e9;
  // api role: nothing consumes the queues, so every delivery job stays enqueued; batches run here, one after another.
  const hub = await bootstrap(
    {
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: REDIS,
      QUEUE_PREFIX: prefix,
      PROCESS_ROLE: 'api',
      ADMIN_EMAIL: 'bench@bench.local',
      ADMIN_PASSWORD: 'bench-password-1',
      JWT_SECRET: 'bench-secret-bench-secret-bench',
      LOG_LEVEL: 'silent',
      START_SMTP_RECEIVER: 'false',
      MARKETING_CAP_PER_DAY: '5',
    },
    { listen: false },
  );
  try {
    const campaigns = hub.app.get(CampaignsService);
    const fanout = hub.app.get(CampaignFanoutService);
    const c = await campaigns.create(
      {
        name: 'Bench',
        segment: { tags: ['bench'] },
        topic: 'promo',
        purpose: 'marketing',
        urgency: 'normal',
        template: 'welcome',
        data: { offer: { percent: 20, code: 'BENCH', until: '2030-01-01T00:00:00Z' } },
        batchSize: BATCH,
      },
      null,
    );
    await campaigns.launch(c.id, null);
    const generation = 0;
    sampleRss();
    const baseRss = process.memoryUsage().rss;
    let sent = 0;
    let suppressed = 0;
    const debug = Boolean(process.env.BENCH_DEBUG);
    const pgCpu = debug ? await backendsCpu(db.url) : 0;
    const cpu = process.cpuUsage();
    halves.current = 0;
    const start = process.hrtime.bigint();
    // Two runners, as the campaigns queue's concurrency of 2: batches serialize on the campaign
    // row lock, and one batch's BullMQ dispatch overlaps the next batch's database work.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (;;) {
          const out = await fanout.runBatch(c.id, generation);
          sent += out.sent;
          suppressed += out.suppressed;
          halves.current = sent + suppressed < N / 2 ? 0 : 1;
          sampleRss();
          if (!out.ran || out.done) break;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    sampleRss();
    halves.current = -1;
    const fanoutPeakRss = peakRss;
    const fanoutPeakHeap = peakHeap;
    const used = process.cpuUsage(cpu);
    const pgUsed = debug ? (await backendsCpu(db.url)) - pgCpu : 0;
    const recipients = sent + suppressed;
    if (debug)
      process.stderr.write(
        `fan-out CPU per 1000 recipients: this process ${Math.round((used.user + used.system) / recipients)} ms, PostgreSQL backends of the database ${Math.round((pgUsed * 1000) / recipients)} ms; wall ${Math.round((seconds * 1e6) / recipients)} ms\n`,
      );
    const recipientsPerSec = recipients / seconds;
    const jobs = await enqueued(prefix);
    await obliterate(prefix);
    const rawPerSec = await rawAddBulk(prefix);
    clearInterval(rss);
    sampleRss();
    report(
      'campaign',
      {
        recipientsPerSec: Math.round(recipientsPerSec),
        rawPerSec: Math.round(rawPerSec),
        ratio: round(recipientsPerSec / rawPerSec, 3),
        peakRssMb: Math.round(peakRss / 1048576),
        target: 0.4,
      },
      [
        `campaign: ${N} customers seeded in ${round(seedSeconds, 1)}s; ${recipients} recipients (${sent} messages, ${suppressed} suppressed) in ${round(seconds, 1)}s, batches of ${BATCH}; ${jobs} jobs left on BullMQ (the sends and first fallback checks in chunks, and the batch chain)`,
        `  fan-out: per part of a batch, keyset select + bulk context (1 query), decideRoute, render, one statement for recipients, messages, short links and chunk jobs (sends as binary arrays); parts written on two side transactions while the next is read; BullMQ addBulk of the chunk jobs after commit; 2 batch runners`,
        `  raw: BullMQ addBulk of ${N} jobs in chunks of ${BATCH}`,
        `  memory: RSS at fan-out start ${Math.round(baseRss / 1048576)} MB, peak during the fan-out ${Math.round(fanoutPeakRss / 1048576)} MB (JS heap used ${Math.round(fanoutPeakHeap / 1048576)} MB; first half ${Math.round(halves.peak[0] / 1048576)} MB, second half ${Math.round(halves.peak[1] / 1048576)} MB), peak of the whole run ${Math.round(peakRss / 1048576)} MB (JS heap used ${Math.round(peakHeap / 1048576)} MB)`,
      ],
    );
  } finally {
    await hub.close();
    await obliterate(prefix).catch(() => undefined);
    if (process.env.BENCH_KEEP_DB) process.stderr.write(`kept database ${db.url}\n`);
    else await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
