/**
 * Campaign fan-out: N synthetic customers (bench/lib/customer-seed.ts: varied identities,
 * marketing consents with 5% revoked, preference matrices, 20% with quiet hours, timezones,
 * several segments, and 10-20 messages of history each over 90 days with 20% at a frequency cap;
 * generated server-side with INSERT ... SELECT, its time printed apart) routed (pure decideRoute
 * over one bulk context query per part of a batch), rendered, written (recipients, messages, and
 * the chunk jobs that carry their sends and first fallback checks) and enqueued on real BullMQ by
 * the campaign batch job at the default log level, against raw BullMQ addBulk of N jobs in the
 * same run. The clock stops when the last batch has returned: every recipient's send is then
 * durable as a job, in a chunk job committed to the outbox (PostgreSQL) and on BullMQ (checked
 * after: every send in a chunk, every pending outbox row carried by a BullMQ job). Nothing
 * consumes the queues here (api role): a chunk job stages and runs its messages' own send jobs
 * when a worker takes it (bench:send measures sending). Memory stays flat: customers are read
 * part by part by keyset, never all at once.
 * Run: npm run bench:campaign   (BENCH_CUSTOMERS, default 1000000; BENCH_BATCH, default 5000;
 * BENCH_SYNCHRONOUS_COMMIT=off to skip WAL flushes at commit; BENCH_KEEP_DB=1 keeps the database; PG at BENCH_PG_URL, Redis at REDIS_URL)
 */
import { randomBytes, randomUUID } from 'crypto';
import { Queue } from 'bullmq';
import { tmpdir } from 'os';
import { join } from 'path';
import pino from 'pino';
import { Client } from 'pg';
import { bootstrap } from '../src/bootstrap';
import { CampaignFanoutService } from '../src/campaigns/campaign-fanout.service';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { ALL_QUEUES } from '../src/queue/queue-names';
import { redisKeyPrefix, redisOptionsFromUrl } from '../src/queue/redis-options';
import { freshDatabase } from './lib/bench-db';
import { seedCustomers, type SeedTimes } from './lib/customer-seed';
import { backendsCpuMs } from './lib/backend-cpu';
import { report, round } from './lib/report';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
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

async function seed(url: string): Promise<SeedTimes> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return await seedCustomers(pg, N, sampleRss);
  } finally {
    await pg.end();
    sampleRss();
  }
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

/** The sends the campaign's chunk jobs carry, the outbox rows pending, and the suppressions by reason. */
async function durableSends(
  url: string,
  campaignId: string,
): Promise<{ sends: number; chunks: number; pendingIds: string[]; suppressions: string }> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const jobs = (
      await pg.query(
        `SELECT count(*) FILTER (WHERE payload->>'kind' = 'send')::int AS chunks,
                coalesce(sum(jsonb_array_length(payload->'messageIds')) FILTER (WHERE payload->>'kind' = 'send'), 0)::int AS sends,
                array_agg(id) AS pending
         FROM outbox_jobs WHERE status = 'pending'`,
      )
    ).rows[0] as { chunks: number; sends: number; pending: string[] | null };
    const reasons = (
      await pg.query(
        `SELECT suppression, count(*)::int AS n FROM campaign_recipients
         WHERE campaign_id = $1 AND status = 'suppressed' GROUP BY 1 ORDER BY 2 DESC`,
        [campaignId],
      )
    ).rows as Array<{ suppression: string; n: number }>;
    return {
      sends: jobs.sends,
      chunks: jobs.chunks,
      pendingIds: jobs.pending ?? [],
      suppressions: reasons.map((r) => `${r.suppression} ${r.n}`).join(', ') || 'none',
    };
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

/**
 * The BullMQ jobs waiting on the queues (nothing consumes them in this process), and the outbox
 * rows they carry (a job carries one row, or several due in the same second).
 */
async function enqueued(prefix: string): Promise<{ jobs: number; rows: Set<string> }> {
  let jobs = 0;
  const rows = new Set<string>();
  for (const { name } of ALL_QUEUES) {
    const q = new Queue(name, {
      connection: redisOptionsFromUrl(REDIS) as never,
      prefix: redisKeyPrefix(prefix),
    });
    for (let from = 0; ; from += 1000) {
      const page = await q.getJobs(['waiting', 'delayed', 'prioritized'], from, from + 999, true);
      for (const job of page) {
        jobs++;
        const data = job.data as { outboxId?: string; outboxIds?: string[] };
        for (const id of data.outboxIds ?? (data.outboxId ? [data.outboxId] : [])) rows.add(id);
      }
      if (page.length < 1000) break;
    }
    await q.close();
  }
  return { jobs, rows };
}

async function obliterate(prefix: string): Promise<void> {
  for (const { name } of ALL_QUEUES) {
    const q = new Queue(name, {
      connection: redisOptionsFromUrl(REDIS) as never,
      prefix: redisKeyPrefix(prefix),
    });
    await q.obliterate({ force: true });
    await q.close();
  }
}

async function main(): Promise<void> {
  const rss = setInterval(sampleRss, 100);
  const db = await freshDatabase('campaign');
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const logFile = join(tmpdir(), `bench-campaign-${prefix}.log`);
  if (process.env.BENCH_SYNCHRONOUS_COMMIT === 'off') {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query(
      `ALTER DATABASE ${new URL(db.url).pathname.slice(1)} SET synchronous_commit = off`,
    );
    await pg.end();
  }
  const seedStart = process.hrtime.bigint();
  const seedTimes = await seed(db.url);
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
      LOG_LEVEL: 'info',
      START_SMTP_RECEIVER: 'false',
    },
    // The default log level, its lines written to a file rather than among the figures.
    { listen: false, logDestination: pino.destination({ dest: logFile, sync: false }) },
  );
  try {
    const campaigns = hub.app.get(CampaignsService);
    const fanout = hub.app.get(CampaignFanoutService);
    const c = await campaigns.create(
      {
        name: 'Bench',
        segment: { tags: ['bench'], attributes: { plan: { in: ['free', 'pro', 'team'] } } },
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
    // The clock stopped when the last batch's runBatch returned: its transaction had committed
    // the chunk jobs carrying its sends (outbox rows in PostgreSQL) and its addBulk to BullMQ had
    // answered. Check that every recipient's send is in a chunk job, and every job on BullMQ.
    const durable = await durableSends(db.url, c.id);
    const onBullmq = await enqueued(prefix);
    const missing = durable.pendingIds.filter((id) => !onBullmq.rows.has(id)).length;
    if (durable.sends !== sent || missing > 0)
      throw new Error(
        `not every send is durable as a job: ${sent} sent, ${durable.sends} in chunk jobs; ${missing} of ${durable.pendingIds.length} pending outbox rows not on BullMQ`,
      );
    await obliterate(prefix);
    const rawPerSec = await rawAddBulk(prefix);
    clearInterval(rss);
    sampleRss();
    report(
      'campaign',
      {
        customers: N,
        recipientsPerSec: Math.round(recipientsPerSec),
        recipientsTarget: 10_000,
        rawPerSec: Math.round(rawPerSec),
        ratio: round(recipientsPerSec / rawPerSec, 3),
        peakRssMb: Math.round(peakRss / 1048576),
        target: 0.4,
      },
      [
        `campaign: ${N} customers seeded in ${round(seedSeconds, 1)}s (customers, identities, consents ${round(seedTimes.customers, 1)}s; history of ${seedTimes.messages} messages ${round(seedTimes.history, 1)}s; index rebuild, vacuum analyze, checkpoint ${round(seedTimes.indexes, 1)}s)`,
        `  ${recipients} recipients (${sent} messages, ${suppressed} suppressed: ${durable.suppressions}) in ${round(seconds, 1)}s, batches of ${BATCH}, at the default log level (lines in ${logFile})`,
        `  durable when the clock stopped: ${durable.sends} sends in ${durable.chunks} chunk jobs committed to the outbox (PostgreSQL), and all ${durable.pendingIds.length} pending outbox rows (chunks of sends and first fallback checks, and the batch chain) carried by ${onBullmq.jobs} BullMQ jobs`,
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
