import { randomBytes } from 'crypto';
import { Queue, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { BATCH_MAX, BullmqDriver } from '../../src/queue/bullmq.driver';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { redisKeyPrefix, redisOptionsFromUrl } from '../../src/queue/redis-options';
import { TEST_REDIS_URL } from '../support/services';
import { TcpProxy } from '../support/tcp-proxy';
import { eventually, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

type Staged = Awaited<ReturnType<JobQueueService['stage']>>;

/**
 * Rows due now and dispatched together travel as one BullMQ job on a queue without a limiter;
 * a limited queue (a provider's send rate) keeps one job per row so its limiter counts sends.
 */
describe('BullMQ jobs carrying several outbox rows', () => {
  let db: TestDatabase;
  let phone = 8613700137000;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function queuedSms(app: TestApp, count: number): Promise<string[]> {
    const ds = app.hub.app.get(DataSource);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const address = `+${++phone}`;
      const c = await app.api('POST', '/api/v1/customers', {
        displayName: `Batch ${i}`,
        identities: [{ channel: 'sms', address }],
      });
      expect(c.status).toBe(201);
      const rows = (await ds.query(
        `INSERT INTO messages (customer_id, direction, kind, channel, status, text, address)
         VALUES ($1, 'outbound', 'message', 'sms', 'queued', 'batched', $2) RETURNING id`,
        [c.body.id, address],
      )) as Array<{ id: string }>;
      ids.push(rows[0].id);
    }
    return ids;
  }

  function stageSends(app: TestApp, messageIds: string[], runAt?: Date): Promise<Staged[]> {
    const queue = app.hub.app.get(JobQueueService);
    const ds = app.hub.app.get(DataSource);
    return Promise.all(
      messageIds.map((messageId) =>
        queue.stage(ds.manager, {
          queue: 'delivery-sms',
          name: 'send',
          payload: { messageId },
          dedupeKey: `send:${messageId}`,
          ...(runAt ? { runAt } : {}),
        }),
      ),
    );
  }

  async function waitingJobs(prefix: string) {
    const q = new Queue('delivery-sms', {
      connection: redisOptionsFromUrl(TEST_REDIS_URL) as never,
      prefix: redisKeyPrefix(prefix),
    });
    try {
      const jobs = await q.getJobs(['waiting', 'delayed', 'prioritized']);
      return jobs.map((j) => ({
        name: j.name,
        data: j.data as Record<string, unknown>,
        delay: j.opts.delay ?? 0,
      }));
    } finally {
      await q.close();
    }
  }

  async function sentCount(ds: DataSource, messageIds: string[]): Promise<Map<string, number>> {
    const rows = (await ds.query(
      `SELECT message_id, count(*)::int AS n FROM sandbox_outbox WHERE message_id = ANY($1::uuid[]) GROUP BY message_id`,
      [messageIds],
    )) as Array<{ message_id: string; n: number }>;
    return new Map(rows.map((r) => [r.message_id, r.n]));
  }

  it('carries rows due in the same second in one job (at most BATCH_MAX each), a row due alone in its own, and sends each once', async () => {
    const prefix = `tb${randomBytes(4).toString('hex')}`;
    // An API-only process queues without consuming, so the jobs can be looked at in Redis.
    const api = await startTestApp(
      { REDIS_URL: TEST_REDIS_URL, PROCESS_ROLE: 'api' },
      { db, prefix },
    );
    let messageIds: string[];
    let later: string[];
    try {
      messageIds = await queuedSms(api, BATCH_MAX + 3);
      later = await queuedSms(api, 3);
      const due = await stageSends(api, messageIds);
      const inAMinute = Date.now() + 60_000;
      const pair = [
        ...(await stageSends(api, [later[0]], new Date(inAMinute))),
        ...(await stageSends(api, [later[1]], new Date(inAMinute + 400))),
      ];
      const alone = await stageSends(api, [later[2]], new Date(inAMinute + 5_000));
      const dispatchedAt = Date.now();
      await api.hub.app.get(JobQueueService).dispatchAll([...due, ...pair, ...alone]);
      const jobs = await waitingJobs(prefix);
      const idsOf = (j: { data: Record<string, unknown> }) => j.data.outboxIds as string[];
      const batches = jobs.filter((j) => j.name === 'outbox-batch');
      expect(batches.map((b) => idsOf(b).length).sort((a, b) => a - b)).toEqual([2, 3, BATCH_MAX]);
      expect(new Set(batches.filter((b) => b.delay === 0).flatMap(idsOf))).toEqual(
        new Set(due.map((j) => j.id)),
      );
      // The pair waits until its later row is due: a batch never runs a row early.
      const delayedPair = batches.find((b) => b.delay > 0)!;
      expect(new Set(idsOf(delayedPair))).toEqual(new Set(pair.map((j) => j.id)));
      expect(delayedPair.delay).toBeGreaterThan(inAMinute + 400 - dispatchedAt - 200);
      expect(jobs.filter((j) => j.name === 'outbox').map((j) => j.data)).toEqual([
        { outboxId: alone[0].id },
      ]);
      // The sweeper's later dispatch of one row already carried by a batch.
      await api.hub.app.get(JobQueueService).dispatch(due[0]);
    } finally {
      await api.close();
    }

    const worker = await startTestApp(
      { REDIS_URL: TEST_REDIS_URL, PROCESS_ROLE: 'worker' },
      { db, prefix },
    );
    try {
      const ds = worker.hub.app.get(DataSource);
      const sent = await eventually(async () => {
        const counts = await sentCount(ds, messageIds);
        return counts.size === messageIds.length ? counts : null;
      }, 'every batched send');
      expect([...sent.values()].every((n) => n === 1)).toBe(true);
      // The send is in the sandbox before the statement recording it closes the job.
      await eventually(async () => {
        const open = (await ds.query(
          `SELECT count(*)::int AS n FROM outbox_jobs WHERE payload->>'messageId' = ANY($1::text[]) AND status <> 'done'`,
          [messageIds],
        )) as Array<{ n: number }>;
        return open[0].n === 0;
      }, 'every send job closed');
      expect((await sentCount(ds, later)).size).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('re-drives queued rows (a restart after a crash) in batches too', async () => {
    const prefix = `tb${randomBytes(4).toString('hex')}`;
    const api = await startTestApp(
      { REDIS_URL: TEST_REDIS_URL, PROCESS_ROLE: 'api' },
      { db, prefix },
    );
    try {
      const messageIds = await queuedSms(api, BATCH_MAX + 8);
      const due = await stageSends(api, messageIds, new Date(Date.now() - 60_000));
      const redriven = await api.hub.app.get(JobQueueService).redrive(0);
      expect(redriven).toBeGreaterThanOrEqual(due.length);
      const ours = new Set(due.map((job) => job.id));
      const carriers = (await waitingJobs(prefix))
        .map((j) =>
          j.name === 'outbox-batch' ? (j.data.outboxIds as string[]) : [j.data.outboxId as string],
        )
        .filter((ids) => ids.some((id) => ours.has(id)));
      // Forty rows due in the same second: two jobs (32 and 8), every row in one of them.
      expect(carriers.map((ids) => ids.length).sort((a, b) => a - b)).toEqual([8, BATCH_MAX]);
      expect(new Set(carriers.flat())).toEqual(ours);
    } finally {
      await api.close();
    }
  });

  it('keeps one job per row on a queue with a send rate', async () => {
    const prefix = `tb${randomBytes(4).toString('hex')}`;
    const api = await startTestApp(
      { REDIS_URL: TEST_REDIS_URL, PROCESS_ROLE: 'api', SEND_RATE_SMS: '100/s' },
      { db, prefix },
    );
    try {
      const messageIds = await queuedSms(api, 4);
      const due = await stageSends(api, messageIds);
      await api.hub.app.get(JobQueueService).dispatchAll(due);
      const jobs = await waitingJobs(prefix);
      expect(jobs.map((j) => j.name)).toEqual(['outbox', 'outbox', 'outbox', 'outbox']);
      expect(new Set(jobs.map((j) => j.data.outboxId))).toEqual(new Set(due.map((j) => j.id)));
    } finally {
      await api.close();
    }
  });

  it('runs the rows a batch carries no more than the queue concurrency at once', async () => {
    const q = await gatedDriver('bounded', 3);
    try {
      const ids = await q.dispatchRows(10);
      await q.concurrencyReached;
      expect(q.running()).toBe(3);
      q.release();
      await eventually(async () => q.finished.length === ids.length, 'every row run');
      expect(q.most()).toBe(3);
      expect(new Set(q.finished)).toEqual(new Set(ids));
    } finally {
      await q.close();
    }
  });

  it('on a graceful stop finishes the rows under way and leaves the rest of a batch unrun', async () => {
    const q = await gatedDriver('stopping', 2);
    try {
      await q.dispatchRows(10);
      await q.concurrencyReached;
      const stopped = q.driver.stop();
      q.release();
      await stopped;
      expect(q.finished).toEqual(q.started);
      expect(q.started).toHaveLength(2);
    } finally {
      await q.close();
    }
  });
  it('stops within its grace while Redis is between two reconnect attempts', async () => {
    const proxy = await TcpProxy.start({
      host: '127.0.0.1',
      port: Number(new URL(TEST_REDIS_URL).port),
    });
    const prefix = `tg${randomBytes(4).toString('hex')}`;
    const connection = redisOptionsFromUrl(proxy.url(TEST_REDIS_URL)) as never;
    const queue = new Queue('grace', { connection, prefix });
    queue.on('error', () => undefined);
    const driver = new BullmqDriver(new Map([['grace', queue]]), connection, prefix);
    try {
      await driver.start([{ name: 'grace', concurrency: 1 }], async () => 'done', true);
      await proxy.refuse();
      const blocking = (driver as unknown as { workers: Worker[] }).workers.map(
        (w) =>
          (w as unknown as { backend: { blockingConnection: { _client: { status: string } } } })
            .backend.blockingConnection._client,
      );
      await eventually(
        async () => blocking.every((c) => c.status === 'reconnecting'),
        'the worker waiting to reconnect',
      );
      // ioredis never ends a client disconnected while reconnecting: without a grace this hangs.
      const t0 = Date.now();
      await driver.stop(1000);
      expect(Date.now() - t0).toBeLessThan(20_000);
    } finally {
      await proxy.pass();
      await queue.close();
      await proxy.close();
    }
  });
});

/**
 * A driver on a queue of its own (no database) whose runner holds every row at a gate until
 * released, counting rows under way.
 */
async function gatedDriver(name: string, concurrency: number) {
  const prefix = `tb${randomBytes(4).toString('hex')}`;
  const connection = redisOptionsFromUrl(TEST_REDIS_URL) as never;
  const queue = new Queue(name, { connection, prefix });
  const driver = new BullmqDriver(new Map([[name, queue]]), connection, prefix);
  const started: string[] = [];
  const finished: string[] = [];
  let running = 0;
  let most = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const concurrencyReached = new Promise<void>((resolve) => (reached = resolve));
  const close = async () => {
    await driver.stop();
    await queue.obliterate({ force: true });
    await queue.close();
  };
  try {
    await driver.start(
      [{ name, concurrency }],
      async (id) => {
        started.push(id);
        most = Math.max(most, ++running);
        if (running === concurrency) reached();
        await gate;
        running--;
        finished.push(id);
        return 'done';
      },
      true,
    );
  } catch (e) {
    await close();
    throw e;
  }
  return {
    driver,
    started,
    finished,
    running: () => running,
    most: () => most,
    release,
    concurrencyReached,
    /** Rows due now, dispatched together (one batch job). */
    async dispatchRows(count: number): Promise<string[]> {
      const now = new Date();
      const ids = Array.from({ length: count }, (_, i) => `row-${i}`);
      await Promise.all(
        ids.map((id) => driver.dispatch({ id, queue: name, runAt: now, maxAttempts: 1 })),
      );
      return ids;
    },
    close,
  };
}
