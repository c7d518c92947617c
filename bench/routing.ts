/**
 * Routing decisions per second and p99 latency over 10k generated customers in memory, against a
 * raw baseline (first channel of the default ranking with an active identity) on the same data.
 *
 * Then the same decisions with each customer's context loaded from PostgreSQL, by the product's
 * loaders on a booted hub (api role, default log level): single, as POST /messages loads it
 * (RoutingContextLoader.load, concurrent callers coalesced into one statement per batch), and
 * batched, as a campaign part loads it (BatchContextLoader.next by keyset); each next to a raw
 * indexed read of the same rows with pg (customers, identities, consents, 90 days of messages:
 * four prepared statements per batch of the same customers, one batch at a time as ours).
 * BENCH_PG_CUSTOMERS (default 20000) customers seeded as bench:campaign seeds them (history
 * included); BENCH_PG=0 skips the phase.
 * Run: npm run bench:routing
 */
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import pino from 'pino';
import { bootstrap } from '../src/bootstrap';
import { BatchContextLoader } from '../src/campaigns/batch-context.loader';
import { CHANNELS, PURPOSES, URGENCIES } from '../src/common/names';
import type { Channel } from '../src/common/names';
import { DEFAULT_ROUTING_POLICY, decideRoute } from '../src/routing/decision';
import type { CustomerRoutingContext, MessageIntent, RoutingPolicy } from '../src/routing/decision';
// The single loader of POST /messages: if it is renamed (routing-context.repository.ts), this
// import is the line to change; the bench calls its load(customerId, now) only.
import { RoutingContextLoader } from '../src/routing/routing-context.loader';
import { RoutingPolicyProvider } from '../src/routing/routing-policy';
import { TemplateEngine } from '../src/templates/template-engine';
import { freshDatabase } from './lib/bench-db';
import { seedCustomers } from './lib/customer-seed';
import { percentile, report, round } from './lib/report';

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const subset = <T>(xs: readonly T[], p: number): T[] => xs.filter(() => rand() < p);
const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'UTC', 'Asia/Tokyo'];
const TOPICS = ['orders', 'promo', 'alerts', 'billing'];

function customer(i: number): CustomerRoutingContext {
  const channels = subset(CHANNELS, 0.7);
  const consent: CustomerRoutingContext['consent'] = {};
  for (const c of CHANNELS) {
    consent[c] = {
      marketing: rand() < 0.5 ? 'granted' : undefined,
      transactional: rand() < 0.05 ? 'revoked' : undefined,
    };
  }
  return {
    customerId: `c${i}`,
    locale: rand() < 0.5 ? 'zh-CN' : 'en',
    timezone: pick(ZONES),
    attributes: {},
    identities: channels.map((channel) => ({
      channel,
      address: `${channel}-${i}`,
      status: rand() < 0.9 ? 'active' : 'bounced',
    })),
    preferences:
      rand() < 0.6
        ? [
            { topic: pick(TOPICS), urgency: '*', channels: subset(CHANNELS, 0.5) },
            { topic: '*', urgency: '*', channels: [pick(CHANNELS)] },
          ]
        : [],
    quietHours: rand() < 0.5 ? { start: '22:00', end: '08:00' } : null,
    consent,
    learnedRanking: subset(CHANNELS, 0.3),
    marketingSent: { lastDay: rand() < 0.1 ? 1 : 0, lastWeek: Math.floor(rand() * 3) },
    templateChannels: new Set<Channel>(subset(CHANNELS, 0.8)),
  };
}

const N = 10_000;
const customers = Array.from({ length: N }, (_, i) => customer(i));
const intents: MessageIntent[] = Array.from({ length: N }, () => ({
  topic: pick(TOPICS),
  urgency: pick(URGENCIES),
  purpose: pick(PURPOSES),
  template: 'order-shipped',
}));
const policy: RoutingPolicy = { ...DEFAULT_ROUTING_POLICY, providerHealth: { voice: 'down' } };
const now = new Date('2025-03-10T15:00:00Z');

function baseline(ctx: CustomerRoutingContext, intent: MessageIntent): Channel | null {
  const ranking = policy.defaultRanking[intent.urgency];
  for (let r = 0; r < ranking.length; r++) {
    for (let i = 0; i < ctx.identities.length; i++) {
      if (ctx.identities[i].channel === ranking[r] && ctx.identities[i].status === 'active')
        return ranking[r];
    }
  }
  return null;
}

const BATCH = 10;
const ROUNDS = 20;
let sink = 0;

function timeDecisions(): { perSec: number; p99Us: number } {
  const samples = new Float64Array((N / BATCH) * ROUNDS);
  let s = 0;
  const start = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < N; i += BATCH) {
      const t0 = process.hrtime.bigint();
      for (let j = i; j < i + BATCH; j++)
        if (decideRoute(customers[j], intents[j], now, policy).ok) sink++;
      samples[s++] = Number(process.hrtime.bigint() - t0) / 1000 / BATCH;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  samples.sort();
  return { perSec: (N * ROUNDS) / seconds, p99Us: percentile(samples, 99) };
}

function timeBaseline(): number {
  const start = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < N; i += BATCH) {
      const t0 = process.hrtime.bigint();
      for (let j = i; j < i + BATCH; j++) if (baseline(customers[j], intents[j]) !== null) sink++;
      // Same two clock reads per batch as the timed path, so the ratio compares work, not timers.
      if (process.hrtime.bigint() < t0) sink--;
    }
  }
  return (N * ROUNDS) / (Number(process.hrtime.bigint() - start) / 1e9);
}

const PG_CUSTOMERS = Number(process.env.BENCH_PG_CUSTOMERS ?? 20_000);
/** Callers loading one customer each at a time (the single path), as concurrent sends would. */
const PG_CALLERS = 50;
/** Customers per read of the batched path: a campaign part (batches of 5,000 in 5 parts). */
const PG_PART = 1000;

interface PgFigures {
  single: { perSec: number; rawPerSec: number; batch: number };
  batched: { perSec: number; rawPerSec: number };
  customers: number;
  seedSeconds: number;
  outcomes: string;
}

/** The raw read: the same rows as the routing read, by their indexes, prepared, no aggregation. */
async function rawRead(pg: Client, ids: string[], now: Date): Promise<number> {
  const since = new Date(now.getTime() - 90 * 86_400_000);
  const results = [
    await pg.query({
      name: 'raw-customers',
      text: `SELECT id, display_name, locale, timezone, attributes, preferences FROM customers
             WHERE id = ANY($1::uuid[]) AND erased_at IS NULL AND merged_into_id IS NULL`,
      values: [ids],
    }),
    await pg.query({
      name: 'raw-identities',
      text: `SELECT customer_id, kind, address, status, created_at FROM customer_identities WHERE customer_id = ANY($1::uuid[])`,
      values: [ids],
    }),
    await pg.query({
      name: 'raw-consents',
      text: `SELECT customer_id, channel, purpose, status, seq FROM consents WHERE customer_id = ANY($1::uuid[])`,
      values: [ids],
    }),
    await pg.query({
      name: 'raw-messages',
      text: `SELECT customer_id, channel, direction, kind, purpose, status, created_at, updated_at FROM messages
             WHERE customer_id = ANY($1::uuid[]) AND channel IS NOT NULL AND created_at > $2`,
      values: [ids, since],
    }),
  ];
  return results.reduce((n, r) => n + r.rows.length, 0);
}

async function pgPhase(): Promise<PgFigures> {
  const db = await freshDatabase('routing');
  const logFile = join(tmpdir(), `bench-routing-${Date.now()}.log`);
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const t = process.hrtime.bigint();
  await seedCustomers(pg, PG_CUSTOMERS);
  const seedSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const ids = (await pg.query(`SELECT id FROM customers ORDER BY id`)).rows.map(
    (r: { id: string }) => r.id,
  );
  const hub = await bootstrap(
    {
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: db.url,
      PROCESS_ROLE: 'api',
      ADMIN_EMAIL: 'bench@bench.local',
      ADMIN_PASSWORD: 'bench-password-1',
      JWT_SECRET: 'bench-secret-bench-secret-bench',
      LOG_LEVEL: 'info',
      START_SMTP_RECEIVER: 'false',
    },
    { listen: false, logDestination: pino.destination({ dest: logFile, sync: false }) },
  );
  try {
    const loader = hub.app.get(RoutingContextLoader, { strict: false });
    const batchLoader = hub.app.get(BatchContextLoader, { strict: false });
    const policyProvider = hub.app.get(RoutingPolicyProvider, { strict: false });
    const templates = hub.app.get(TemplateEngine, { strict: false });
    const intent: MessageIntent = {
      topic: 'promo',
      urgency: 'normal',
      purpose: 'marketing',
      template: 'welcome',
    };
    const templateChannels = templates.availableChannels(intent.template);
    const outcomes = new Map<string, number>();
    // As RoutingService.decide: the loaded context, the template's channels, the current policy.
    const decide = (context: Omit<CustomerRoutingContext, 'templateChannels'>, now: Date) => {
      const d = decideRoute(
        { ...context, templateChannels },
        intent,
        now,
        policyProvider.current(now.getTime()),
      );
      const k = d.ok ? (d.delayed ? `${d.channel} (delayed)` : d.channel) : d.suppression;
      outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    };

    // Single: PG_CALLERS callers, each loading and deciding one customer after another.
    const single = async () => {
      let next = 0;
      const start = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: PG_CALLERS }, async () => {
          for (let i = next++; i < ids.length; i = next++) {
            const now = new Date();
            decide((await loader.load(ids[i], now)).context, now);
          }
        }),
      );
      return ids.length / (Number(process.hrtime.bigint() - start) / 1e9);
    };
    // Raw, single: batches of as many customers as a coalesced statement carries at most.
    const rawSingle = async (batch: number) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < ids.length; i += batch)
        await rawRead(pg, ids.slice(i, i + batch), new Date());
      return ids.length / (Number(process.hrtime.bigint() - start) / 1e9);
    };
    // Batched: keyset parts of PG_PART customers of the segment every customer is in, as a campaign reads them.
    const batched = async () => {
      const start = process.hrtime.bigint();
      let after: string | null = null;
      let n = 0;
      for (;;) {
        const now = new Date();
        const part = await batchLoader.next({ tags: ['bench'] }, after, PG_PART, now);
        if (part.length === 0) break;
        for (const c of part) decide(c.context, now);
        n += part.length;
        after = part[part.length - 1].context.customerId;
      }
      if (n !== ids.length) throw new Error(`batched: ${n} of ${ids.length} customers loaded`);
      return n / (Number(process.hrtime.bigint() - start) / 1e9);
    };
    const rawBatched = async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < ids.length; i += PG_PART)
        await rawRead(pg, ids.slice(i, i + PG_PART), new Date());
      return ids.length / (Number(process.hrtime.bigint() - start) / 1e9);
    };

    // Warm-up of every path (plans, caches, prepared statements), then the measured runs.
    await single();
    await batched();
    await rawSingle(PG_CALLERS);
    await rawBatched();
    outcomes.clear();
    const singlePerSec = await single();
    // A coalesced statement carries at most one customer per caller: the raw read gets that.
    const batch = PG_CALLERS;
    const rawSinglePerSec = await rawSingle(batch);
    const outcomeLine = [...outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const batchedPerSec = await batched();
    const rawBatchedPerSec = await rawBatched();
    return {
      single: { perSec: singlePerSec, rawPerSec: rawSinglePerSec, batch },
      batched: { perSec: batchedPerSec, rawPerSec: rawBatchedPerSec },
      customers: ids.length,
      seedSeconds,
      outcomes: outcomeLine,
    };
  } finally {
    await hub.close();
    await pg.end();
    await db.drop();
  }
}

async function main(): Promise<void> {
  timeDecisions();
  timeBaseline();
  const decisions = timeDecisions();
  const raw = timeBaseline();
  const outcomes = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const d = decideRoute(customers[i], intents[i], now, policy);
    const k = d.ok
      ? d.delayed
        ? `${d.channel} (delayed)`
        : d.channel
      : `suppressed: ${d.suppression}`;
    outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  }
  const withPg = process.env.BENCH_PG === '0' ? null : await pgPhase();
  const lines = [
    `routing: ${N} customers x ${ROUNDS} rounds, timed in batches of ${BATCH} (sink ${sink})`,
    `outcomes: ${[...outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  ];
  if (withPg)
    lines.push(
      `with PostgreSQL: ${withPg.customers} customers with history seeded in ${round(withPg.seedSeconds, 1)}s; outcomes: ${withPg.outcomes}`,
      `  single (RoutingContextLoader.load, ${PG_CALLERS} callers, coalesced into statements of at most ${withPg.single.batch} customers): ${Math.round(withPg.single.perSec)} decisions/s; raw read of the same rows in batches of ${withPg.single.batch}: ${Math.round(withPg.single.rawPerSec)} customers/s`,
      `  batched (BatchContextLoader.next, parts of ${PG_PART}): ${Math.round(withPg.batched.perSec)} decisions/s; raw read of the same rows in batches of ${PG_PART}: ${Math.round(withPg.batched.rawPerSec)} customers/s`,
    );
  report(
    'routing',
    {
      decisionsPerSec: Math.round(decisions.perSec),
      p99Us: round(decisions.p99Us),
      baselinePerSec: Math.round(raw),
      ratio: round(decisions.perSec / raw, 3),
      ...(withPg
        ? {
            pgCustomers: withPg.customers,
            decisionsPerSecWithPg: Math.round(withPg.single.perSec),
            rawReadPerSec: Math.round(withPg.single.rawPerSec),
            pgRatio: round(withPg.single.perSec / withPg.single.rawPerSec, 3),
            batchDecisionsPerSecWithPg: Math.round(withPg.batched.perSec),
            batchRawReadPerSec: Math.round(withPg.batched.rawPerSec),
            batchPgRatio: round(withPg.batched.perSec / withPg.batched.rawPerSec, 3),
          }
        : {}),
      target: 100_000,
    },
    lines,
  );
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
