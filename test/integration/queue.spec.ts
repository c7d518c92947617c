import { DataSource } from 'typeorm';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { startTestApp, eventually, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { randomBytes } from 'crypto';

/** The outbox-backed queue: work survives a restart and runs exactly once. */
describe(JobQueueService.name, () => {
  let db: TestDatabase;
  const prefix = `tq${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  let phone = 8613900139000;
  async function queuedOutboundSms(app: TestApp): Promise<string> {
    const address = `+${++phone}`;
    const c = await app.api('POST', '/api/v1/customers', {
      displayName: 'Q',
      identities: [{ channel: 'sms', address }],
    });
    expect(c.status).toBe(201);
    const ds = app.hub.app.get(DataSource);
    const rows = (await ds.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, address) VALUES ($1, 'outbound', 'message', 'sms', 'queued', 'restart-safe', $2) RETURNING id`,
      [c.body.id, address],
    )) as Array<{ id: string }>;
    return rows[0].id;
  }

  it('re-drives a job whose row was written but never dispatched (a crash between commit and queue)', async () => {
    const first = await startTestApp({}, { db, prefix });
    const messageId = await queuedOutboundSms(first);
    const ds = first.hub.app.get(DataSource);
    // Written as the delivery service stages it, then the process "dies" before dispatching.
    await ds.query(
      `INSERT INTO outbox_jobs (queue, name, payload, dedupe_key) VALUES ('delivery', 'send', $1, $2)`,
      [JSON.stringify({ messageId }), `send:${messageId}`],
    );
    await first.close();

    const second = await startTestApp({}, { db, prefix });
    try {
      const sent = await eventually(async () => {
        const r = await second.api('GET', '/api/v1/sandbox/outbox?channel=sms');
        return (r.body.items as Array<{ messageId: string }>).find(
          (i) => i.messageId === messageId,
        );
      }, 'the re-driven send');
      expect(sent).toBeTruthy();
      const ds2 = second.hub.app.get(DataSource);
      await eventually(
        async () =>
          (
            (await ds2.query(`SELECT status FROM outbox_jobs WHERE dedupe_key = $1`, [
              `send:${messageId}`,
            ])) as Array<{ status: string }>
          )[0].status === 'done',
        'job done',
      );
      const m = (await ds2.query(`SELECT status FROM messages WHERE id = $1`, [
        messageId,
      ])) as Array<{ status: string }>;
      expect(m[0].status).toBe('delivered');
    } finally {
      await second.close();
    }
  });

  it('claims only a job that is due and free: not one due later, held by a live lock, or done', async () => {
    const app = await startTestApp({}, { db, prefix });
    try {
      const ds = app.hub.app.get(DataSource);
      const queue = app.hub.app.get(JobQueueService);
      const job = async (state: string): Promise<string> => {
        const messageId = await queuedOutboundSms(app);
        const rows = (await ds.query(
          `INSERT INTO outbox_jobs (queue, name, payload, dedupe_key, status, run_at, locked_until)
           SELECT 'delivery', 'send', $1, $2, s.status, s.run_at, s.locked_until
           FROM (VALUES
             ('due', 'pending', now(), NULL::timestamptz),
             ('later', 'pending', now() + interval '1 hour', NULL),
             ('lock expired', 'running', now() - interval '1 minute', now() - interval '1 second'),
             ('locked', 'running', now() - interval '1 minute', now() + interval '1 hour'),
             ('done', 'done', now() - interval '1 minute', NULL)) AS s(state, status, run_at, locked_until)
           WHERE s.state = $3
           RETURNING id`,
          [JSON.stringify({ messageId }), `claim-test:${state}`, state],
        )) as Array<{ id: string }>;
        return rows[0].id;
      };
      const states = ['due', 'later', 'lock expired', 'locked', 'done'];
      const ids = await Promise.all(states.map(job));
      const outcomes = await Promise.all(ids.map((id) => queue.run(id)));
      expect(Object.fromEntries(states.map((s, i) => [s, outcomes[i]]))).toEqual({
        due: 'done',
        later: 'skipped',
        'lock expired': 'done',
        locked: 'skipped',
        done: 'skipped',
      });
    } finally {
      await app.close();
    }
  });

  it('runs a job once even when it is dispatched many times', async () => {
    const app = await startTestApp({}, { db, prefix });
    try {
      const messageId = await queuedOutboundSms(app);
      const queue = app.hub.app.get(JobQueueService);
      const ds = app.hub.app.get(DataSource);
      const job = await queue.stage(ds.manager, {
        queue: 'delivery',
        name: 'send',
        payload: { messageId },
        dedupeKey: `send:${messageId}`,
      });
      const again = await queue.stage(ds.manager, {
        queue: 'delivery',
        name: 'send',
        payload: { messageId },
        dedupeKey: `send:${messageId}`,
      });
      expect(again.id).toBe(job.id);
      await Promise.all([
        queue.dispatch(job),
        queue.dispatch(job),
        queue.run(job.id),
        queue.redrive(0),
      ]);
      await eventually(
        async () =>
          (
            (await ds.query(`SELECT status FROM outbox_jobs WHERE id = $1`, [job.id])) as Array<{
              status: string;
            }>
          )[0].status === 'done',
        'job done',
      );
      const sends = (await ds.query(
        `SELECT count(*)::int AS n FROM sandbox_outbox WHERE message_id = $1`,
        [messageId],
      )) as Array<{ n: number }>;
      expect(sends[0].n).toBe(1);
      const attempts = (await ds.query(
        `SELECT count(*)::int AS n FROM delivery_attempts WHERE message_id = $1`,
        [messageId],
      )) as Array<{ n: number }>;
      expect(attempts[0].n).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('retries a failing job with backoff and records the error, then gives up', async () => {
    const app = await startTestApp({}, { db, prefix });
    try {
      const queue = app.hub.app.get(JobQueueService);
      const ds = app.hub.app.get(DataSource);
      const id = await queue.enqueue({
        queue: 'maintenance',
        name: 'no-such-job',
        payload: {},
        maxAttempts: 2,
      });
      const row = await eventually(
        async () => {
          const r = (await ds.query(
            `SELECT status, attempts, last_error FROM outbox_jobs WHERE id = $1`,
            [id],
          )) as Array<{ status: string; attempts: number; last_error: string }>;
          return r[0].status === 'failed' ? r[0] : null;
        },
        'the job to fail for good',
        15_000,
      );
      expect(row.attempts).toBe(2);
      expect(row.last_error).toMatch(/has no handler/);
    } finally {
      await app.close();
    }
  });
});
