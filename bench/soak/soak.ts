/**
 * The soak test (issue 22): PgBouncer, a PostgreSQL primary and streaming replica, Redis with
 * Sentinel, three hub processes, a bounded mixed load for SOAK_SECONDS during which the worker,
 * an API process, the Redis master and PgBouncer are each killed with -9; then the checks
 * (checks.ts) and one JSON line. runSoak() is what `npm run soak` and test/e2e/soak.spec.ts run.
 */
import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { ALL_QUEUES } from '../../src/queue/queue-names';
import {
  campaignOk,
  inboundCheck,
  jobsCheck,
  outboundIds,
  sendsCheck,
  unsettledSends,
  type CampaignStats,
  type CheckResult,
} from './checks';
import { Cluster, clusterPorts, missingPackages, SENTINEL_NAME, soakPort } from './cluster';
import { portFree, waitFor } from './daemon';
import { FAULTS, injectFault, type FaultResult } from './faults';
import { hubProcesses, startHub, type HubProcess } from './hub-processes';
import { Load, type SendCustomer } from './load';
import { startSmtpSink, startTwilio } from './sinks';
import { Stats } from './stats';

export interface SoakOptions {
  seconds: number;
  /** Load operations per second. */
  rate: number;
  portBase: number;
  campaignCustomers: number;
  drainSeconds: number;
  jobLeaseSeconds: number;
  /** Keep the temporary directory (logs, data) after the run. */
  keep: boolean;
  log: (line: string) => void;
}

export interface SoakResult {
  soak: 'cluster';
  seconds: number;
  inbound: { accepted: number; stored: number; duplicates: number };
  sends: Omit<CheckResult['sends'], 'lostIds' | 'doubledIds' | 'unattributedTo'>;
  campaign: CheckResult['campaign'];
  jobs: CheckResult['jobs'];
  faults: FaultResult[];
  p99Ms: Record<string, number>;
  errors: Record<string, Record<string, number>>;
  gaveUp: Record<string, number>;
  ok: boolean;
  /** What went wrong (ids of missing, lost, doubled messages, an exception); absent when ok. */
  problems?: string[];
  dir?: string;
}

export function soakOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SoakOptions {
  const num = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number`);
    return n;
  };
  return {
    seconds: num('SOAK_SECONDS', 240),
    rate: num('SOAK_RATE', 8),
    portBase: num('SOAK_PORT_BASE', 58100),
    campaignCustomers: num('SOAK_CAMPAIGN_CUSTOMERS', 3000),
    drainSeconds: num('SOAK_DRAIN_SECONDS', 180),
    jobLeaseSeconds: num('SOAK_JOB_LEASE_SECONDS', 15),
    keep: env.SOAK_KEEP === '1',
    log: (line) =>
      process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`),
  };
}

const ACCOUNT_SID = `AC${'50a450a4'.repeat(4)}`;
const AUTH_TOKEN = 'soak-auth-token-0123456789';
const ADMIN = { email: 'soak-admin@example.com', password: 'soak-admin-password-1' };
const PUBLIC_URL = 'http://soak.hub.test';
const QUEUE_PREFIX = 'soak';

async function seedSendCustomers(db: Pool, n: number): Promise<SendCustomer[]> {
  const rows = (
    await db.query<{ customer_id: string; channel: 'sms' | 'email'; n: number }>(
      `WITH c AS (
         INSERT INTO customers (display_name)
         SELECT 'Soak send ' || g FROM generate_series(0, $1 - 1) g
         RETURNING id, split_part(display_name, ' ', 3)::int AS n)
       INSERT INTO customer_identities (customer_id, kind, channel, address)
       SELECT id, CASE WHEN n % 2 = 0 THEN 'phone' ELSE 'email' END,
              CASE WHEN n % 2 = 0 THEN 'sms' ELSE 'email' END,
              CASE WHEN n % 2 = 0 THEN '+86150' || lpad(n::text, 8, '0')
                   ELSE 'soak-send-' || n || '@example.com' END
       FROM c RETURNING customer_id, channel`,
      [n],
    )
  ).rows;
  return rows.map((r) => ({ id: r.customer_id, channel: r.channel }));
}

/** Tagged customers with an e-mail address; nine in ten granted marketing mail. */
async function seedCampaignCustomers(db: Pool, n: number): Promise<void> {
  await db.query(
    `WITH c AS (
       INSERT INTO customers (display_name, tags)
       SELECT 'Soak fan ' || g, ARRAY['soak-campaign'] FROM generate_series(0, $1 - 1) g
       RETURNING id, split_part(display_name, ' ', 3)::int AS n),
     i AS (
       INSERT INTO customer_identities (customer_id, kind, channel, address)
       SELECT id, 'email', 'email', 'soak-fan-' || n || '@example.com' FROM c)
     INSERT INTO consents (customer_id, channel, purpose, status, source)
     SELECT id, 'email', 'marketing', 'granted', 'soak' FROM c WHERE n % 10 <> 0`,
    [n],
  );
}

async function login(hub: HubProcess): Promise<string> {
  const r = await fetch(`${hub.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (r.status !== 200) throw new Error(`login answered ${r.status}: ${await r.text()}`);
  return ((await r.json()) as { accessToken: string }).accessToken;
}

async function apiCall(
  hubs: HubProcess[],
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      for (const hub of hubs.filter((h) => h.role !== 'worker' && h.ready)) {
        const r = await fetch(hub.url + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        }).catch(() => null);
        if (!r) continue;
        const text = await r.text();
        if (r.ok) return JSON.parse(text) as Record<string, unknown>;
        if (r.status < 500) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      }
      return null;
    },
    `${method} ${path}`,
    60_000,
    500,
  );
}

async function campaignStats(
  hubs: HubProcess[],
  token: string,
  id: string,
): Promise<CampaignStats> {
  const s = await apiCall(hubs, token, 'GET', `/api/v1/campaigns/${id}/stats`);
  const suppressed = s.suppressed as { total?: number } | undefined;
  return {
    status: String(s.status),
    recipients: Number(s.recipients ?? 0),
    targeted: Number(s.targeted ?? 0),
    sent: Number(s.sent ?? 0),
    unknown: Number(s.unknown ?? 0),
    scheduled: Number(s.scheduled ?? 0),
    suppressed: Number(suppressed?.total ?? 0),
  };
}

async function bullFailed(port: number): Promise<number> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    // The soak's own Redis: every queue's failed set, whether the prefix is `soak` or `{soak}`.
    let n = 0;
    for (const key of await r.keys('*:failed'))
      if (ALL_QUEUES.some((q) => key.endsWith(`:${q.name}:failed`))) n += await r.zcard(key);
    return n;
  } finally {
    r.disconnect();
  }
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const missing = missingPackages();
  if (missing) throw new Error(`the soak runs Debian's packages; install them first: ${missing}`);
  const base = o.portBase;
  const cluster = new Cluster(clusterPorts(base));
  const hubs: HubProcess[] = [];
  const stats = new Stats();
  const faults: FaultResult[] = [];
  const problems: string[] = [];
  let db: Pool | undefined;
  let twilio: Awaited<ReturnType<typeof startTwilio>> | undefined;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
  o.log(`starting PostgreSQL primary + replica, PgBouncer, Redis + Sentinels in ${cluster.dir}`);
  try {
    await cluster.start();
    db = new Pool({ connectionString: cluster.primaryUrl, max: 4 });
    // An idle client the primary drops (on Ctrl-C, its kill) is no error of the soak's.
    db.on('error', () => undefined);
    const [twilioPort, smtpPort] = [soakPort(base, 16), soakPort(base, 17)];
    for (const port of [twilioPort, smtpPort])
      await waitFor(() => portFree(port), `port ${port} to be free`, 30_000, 200);
    twilio = await startTwilio(ACCOUNT_SID, AUTH_TOKEN, twilioPort);
    smtp = await startSmtpSink(smtpPort);

    const env: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: cluster.bouncerUrl,
      DATABASE_PREPARED_STATEMENTS: 'false',
      // The start's migrations straight on the primary, as the cluster's compose file runs them.
      DATABASE_MIGRATIONS_URL: cluster.primaryUrl,
      DATABASE_REPLICA_URL: cluster.replicaUrl,
      REDIS_SENTINELS: cluster.sentinelList,
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
      QUEUE_PREFIX,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      JWT_SECRET: 'soak-jwt-secret-soak-jwt-secret',
      LOG_LEVEL: 'warn',
      JOB_LEASE_SECONDS: String(o.jobLeaseSeconds),
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_WHATSAPP_FROM: '+15005550009',
      TWILIO_API_BASE_URL: twilio.url,
      PUBLIC_URL,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      EMAIL_FROM: 'support@soak.hub.test',
      CHANNELS_SANDBOX: 'wechat',
      CHAT_RATE_LIMIT: '1000/10s',
      CHAT_NEW_VISITORS_PER_MINUTE: '100000',
    };
    const ports = (from: number) => [0, 1, 2].map((i) => soakPort(base, from + i));
    hubs.push(...hubProcesses(cluster.dir, { http: ports(10), smtp: ports(13) }, env));
    // All at once, as a deploy starts them: one runs the migrations under their lock while the
    // others wait on it.
    o.log('starting hub-a, hub-b and hub-c');
    await Promise.all(hubs.map((h) => startHub(h)));
    const sendCustomers = await seedSendCustomers(db, Math.ceil(o.seconds * o.rate * 0.3) + 50);
    await seedCampaignCustomers(db, o.campaignCustomers);
    const token = await login(hubs[0]);

    const campaign = await apiCall(hubs, token, 'POST', '/api/v1/campaigns', {
      name: 'Soak campaign',
      segment: { tags: ['soak-campaign'] },
      topic: 'promo',
      purpose: 'marketing',
      urgency: 'normal',
      template: 'welcome',
      data: { offer: { percent: 15, code: 'SOAK', until: '2030-05-01T00:00:00Z' } },
    });
    const campaignId = campaign.id as string;

    const load = new Load({
      hubs,
      token,
      run: randomBytes(3).toString('hex'),
      twilio: {
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        from: '+15005550006',
        whatsappFrom: '+15005550009',
        publicUrl: PUBLIC_URL,
      },
      stats,
      sendCustomers,
      primary: db,
      providerMessages: () => twilio!.messages,
    });
    o.log(`load: ${o.seconds} s at ${o.rate} operations/s, faults ${FAULTS.join(', ')}`);
    const started = Date.now();
    const running = load.run(o.seconds, o.rate);
    const at = (fraction: number) =>
      waitFor(
        async () => Date.now() - started >= fraction * o.seconds * 1000,
        'the time',
        1e9,
        200,
      );
    await at(0.1);
    await apiCall(hubs, token, 'POST', `/api/v1/campaigns/${campaignId}/launch`);
    o.log('campaign launched');
    for (const [i, kind] of FAULTS.entries()) {
      await at(0.15 + i * 0.18);
      faults.push(await injectFault(kind, cluster, hubs, o.log));
    }
    await running;
    o.log(`load done after ${Math.round((Date.now() - started) / 1000)} s; draining`);

    // The drain: everything accepted is stored and settled, or the deadline passed.
    const ids = () => outboundIds(db!, load.result, campaignId);
    await waitFor(
      async () => {
        await load.finishStatusCallbacks();
        const inbound = await inboundCheck(db!, load.result.inbound);
        const jobs = await jobsCheck(db!);
        const c = await campaignStats(hubs, token, campaignId);
        return (
          inbound.stored === inbound.accepted &&
          jobs.pending === 0 &&
          c.status === 'completed' &&
          (await unsettledSends(db!, await ids())) === 0
        );
      },
      'the queues to drain',
      o.drainSeconds * 1000,
      1000,
    ).catch((e: Error) => problems.push(e.message));

    const providers = { smtp: new Map<string, number>(), twilio: new Map<string, number>() };
    for (const [messageId, n] of smtp.byMessageId) providers.smtp.set(messageId.split('@')[0], n);
    for (const m of twilio.messages) {
      const key = m.to.startsWith('whatsapp:') ? `whatsapp:${m.to.slice(9)}` : `sms:${m.to}`;
      providers.twilio.set(key, (providers.twilio.get(key) ?? 0) + 1);
    }
    const inbound = await inboundCheck(db, load.result.inbound);
    const sends = await sendsCheck(db, await ids(), providers);
    const c = await campaignStats(hubs, token, campaignId);
    const jobs = {
      ...(await jobsCheck(db)),
      bullFailed: await bullFailed((await cluster.sentinelMaster()) ?? cluster.ports.redis[0]),
    };
    if (inbound.missing.length) problems.push(`inbound not stored: ${inbound.missing.join(', ')}`);
    if (sends.lostIds.length) problems.push(`sends lost: ${sends.lostIds.join(', ')}`);
    if (sends.doubledIds.length) problems.push(`sends doubled: ${sends.doubledIds.join(', ')}`);
    if (sends.unattributedTo.length)
      problems.push(
        `provider sends no accepted message accounts for: ${sends.unattributedTo.join(', ')}`,
      );
    const { missing: _m, ...inboundCounts } = inbound;
    const { lostIds: _l, doubledIds: _d, unattributedTo: _u, ...sendCounts } = sends;
    const campaignResult = { ...c, ok: campaignOk(c) };
    if (!campaignResult.ok) problems.push(`campaign: ${JSON.stringify(c)}`);
    if (jobs.pending || jobs.failed || jobs.bullFailed)
      problems.push(`jobs: ${JSON.stringify(jobs)}`);
    for (const f of faults) if (f.recoveredMs === null) problems.push(`${f.kind}: ${f.detail}`);
    const ok =
      inbound.stored === inbound.accepted &&
      inbound.duplicates === 0 &&
      sends.lost === 0 &&
      sends.doubled === 0 &&
      sends.unattributed === 0 &&
      campaignResult.ok &&
      jobs.pending === 0 &&
      jobs.failed === 0 &&
      jobs.bullFailed === 0 &&
      faults.every((f) => f.recoveredMs !== null);
    return {
      soak: 'cluster',
      seconds: o.seconds,
      inbound: inboundCounts,
      sends: sendCounts,
      campaign: campaignResult,
      jobs,
      faults,
      p99Ms: stats.p99(),
      errors: stats.errorCounts(),
      gaveUp: load.result.gaveUp,
      ok,
      ...(ok ? {} : { problems }),
      ...(o.keep || !ok ? { dir: cluster.dir } : {}),
    };
  } catch (e) {
    problems.push((e as Error).message);
    throw e;
  } finally {
    await Promise.all(hubs.map((h) => h.daemon.stop('SIGTERM', 15_000)));
    await db?.end().catch(() => undefined);
    await twilio?.stop().catch(() => undefined);
    await smtp?.stop().catch(() => undefined);
    await cluster.stop(o.keep || problems.length > 0);
    o.log(o.keep || problems.length > 0 ? `kept ${cluster.dir}` : 'torn down');
  }
}

/** `npm run soak`: the JSON line on stdout, exit 1 when anything was lost or doubled. */
export async function main(): Promise<void> {
  const { abortAll, killAllNow } = await import('./daemon');
  const abort = (signal: NodeJS.Signals) => {
    process.stderr.write(`[soak] ${signal}: killing every process the soak started\n`);
    void abortAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  process.once('exit', killAllNow);
  const result = await runSoak(soakOptionsFromEnv());
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`[soak] failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
