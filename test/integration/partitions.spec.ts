import { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/app-config';
import { JobQueueService } from '../../src/queue/job-queue.service';
import {
  PARTITIONED_TABLES,
  monthPartition,
  type PartitionedTable,
} from '../../src/partitions/partition-months';
import {
  MONTHS_AHEAD,
  PartitionMaintenanceService,
} from '../../src/partitions/partition-maintenance.service';
import { PartitionsRepository } from '../../src/partitions/partitions.repository';
import { usePostgres } from '../support/services';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/** messages, delivery_attempts, tracking_events and finished_jobs, partitioned by month. */
describe(PartitionMaintenanceService.name, () => {
  let app: TestApp;
  let db: DataSource;
  let customerId: string;
  let n = 0;
  const now = new Date();
  /** The first instant of the month `k` months from now (UTC). */
  const month = (k: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
  const nameOf = (table: PartitionedTable, k: number) =>
    monthPartition(table, now.getUTCFullYear(), now.getUTCMonth() + k).name;

  beforeAll(async () => {
    app = await startTestApp();
    db = app.hub.app.get(DataSource);
    [{ id: customerId }] = (await db.query(
      `INSERT INTO customers (display_name) VALUES ('Partitioned') RETURNING id`,
    )) as Array<{ id: string }>;
  });
  afterAll(() => app?.close());

  /** The service with these retention settings (the rest of the app's configuration unchanged). */
  const withRetention = (days: Partial<Record<string, number>>) =>
    new PartitionMaintenanceService(
      app.hub.app.get(JobQueueService),
      app.hub.app.get(PartitionsRepository),
      {
        runsWorker: false,
        env: {
          RETENTION_MESSAGES_DAYS: 0,
          RETENTION_DELIVERY_ATTEMPTS_DAYS: 0,
          RETENTION_TRACKING_EVENTS_DAYS: 0,
          RETENTION_FINISHED_JOBS_DAYS: 0,
          ...days,
        },
      } as unknown as AppConfig,
    );

  const partitions = async (table: string) =>
    (
      (await db.query(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = $1::regclass`,
        [table],
      )) as Array<{ name: string }>
    ).map((r) => r.name);

  /** A message created at `at`; null when the insert was skipped as a duplicate. */
  async function message(
    at: Date,
    extra: { idem?: string; pid?: string } = {},
    q: Pick<DataSource, 'query'> = db,
  ): Promise<{ id: string; part: string } | null> {
    const rows = (await q.query(
      `INSERT INTO messages (customer_id, direction, kind, channel, status, text, idempotency_key,
                             provider_message_id, created_at)
       VALUES ($1, 'inbound', 'message', 'sms', 'delivered', $2, $3, $4, $5)
       RETURNING id, tableoid::regclass::text AS part`,
      [customerId, `m${++n}`, extra.idem ?? null, extra.pid ?? null, at],
    )) as Array<{ id: string; part: string }>;
    return rows[0] ?? null;
  }

  it('creates the partitions of the next months of every table, and again changes nothing', async () => {
    const service = app.hub.app.get(PartitionMaintenanceService);
    await service.maintain(now);
    for (const table of PARTITIONED_TABLES) {
      const names = await partitions(table);
      for (let k = 0; k <= MONTHS_AHEAD; k++) expect(names).toContain(nameOf(table, k));
      expect(names).toContain(`${table}_default`);
    }
    // A month further ahead, as the job will find it next month.
    const later = await service.maintain(month(1));
    expect(later.created).toEqual(PARTITIONED_TABLES.map((t) => nameOf(t, MONTHS_AHEAD + 1)));
    expect((await service.maintain(month(1))).created).toEqual([]);
  });

  it('puts a row in the partition of its month, and back-dated ones in the default partition', async () => {
    const m = await message(new Date(month(1).getTime() + 3_600_000));
    expect(m!.part).toBe(nameOf('messages', 1));
    const old = await message(new Date('2001-02-03T00:00:00Z'));
    expect(old!.part).toBe('messages_default');
    const [attempt] = (await db.query(
      `INSERT INTO delivery_attempts (message_id, attempt_no, channel, status, created_at)
       VALUES ($1, 1, 'sms', 'sent', $2) RETURNING tableoid::regclass::text AS part, sent_at`,
      [m!.id, month(2)],
    )) as Array<{ part: string; sent_at: Date | null }>;
    expect(attempt.part).toBe(nameOf('delivery_attempts', 2));
    // The receipts trigger still stamps sent_at.
    expect(attempt.sent_at).not.toBeNull();
    const [event] = (await db.query(
      `INSERT INTO tracking_events (customer_id, kind, created_at) VALUES ($1, 'open', now())
       RETURNING tableoid::regclass::text AS part`,
      [customerId],
    )) as Array<{ part: string }>;
    expect(event.part).toBe(nameOf('tracking_events', 0));
  });

  it("moves a month's rows out of the default partition when it creates that month", async () => {
    // Written before the job made month +6 (the job is three months ahead of it).
    const key = `early-${++n}`;
    const early = (await message(new Date(month(6).getTime() + 86_400_000), { idem: key }))!;
    expect(early.part).toBe('messages_default');
    await db.query(
      `INSERT INTO delivery_attempts (message_id, attempt_no, channel, status) VALUES ($1, 1, 'sms', 'queued')`,
      [early.id],
    );
    const report = await app.hub.app.get(PartitionMaintenanceService).maintain(month(3));
    expect(report.moved).toEqual([nameOf('messages', 6)]);
    const [row] = (await db.query(
      `SELECT tableoid::regclass::text AS part, idempotency_key,
              (SELECT count(*)::int FROM delivery_attempts WHERE message_id = m.id) AS attempts,
              (SELECT count(*)::int FROM message_keys WHERE message_id = m.id) AS keys
         FROM messages m WHERE id = $1`,
      [early.id],
    )) as Array<Record<string, unknown>>;
    expect(row).toEqual({
      part: nameOf('messages', 6),
      idempotency_key: key,
      attempts: 1,
      keys: 1,
    });
    expect(await message(month(0), { idem: key })).toBeNull();
  });

  it('keeps idempotency keys and provider ids unique across months, even between concurrent inserts', async () => {
    const idem = `idem-${++n}`;
    const pid = `pid-${++n}`;
    const first = await message(month(0), { idem });
    expect(await message(month(1), { idem })).toBeNull();
    expect(await message(month(2), { pid })).not.toBeNull();
    expect(await message(month(0), { pid })).toBeNull();

    // A duplicate waits for the first insert's transaction, then is skipped when it commits.
    // (PGlite serves one session to every connection: no two transactions at once there.)
    if (usePostgres()) {
      const [a, b] = [db.createQueryRunner(), db.createQueryRunner()];
      try {
        const idem2 = `idem-${++n}`;
        const [{ p: waiting }] = (await b.query(`SELECT pg_backend_pid() AS p`)) as Array<{
          p: number;
        }>;
        await a.startTransaction();
        expect(await message(month(0), { idem: idem2 }, a.manager)).not.toBeNull();
        const inB = message(month(1), { idem: idem2 }, b.manager);
        await eventually(async () => {
          const [row] = (await db.query(
            `SELECT wait_event_type AS w FROM pg_stat_activity WHERE pid = $1`,
            [waiting],
          )) as Array<{ w: string | null }>;
          return row.w === 'Lock';
        }, 'the second insert to wait for the first');
        await a.commitTransaction();
        expect(await inB).toBeNull();
        const [{ c }] = (await db.query(
          `SELECT count(*)::int AS c FROM messages WHERE idempotency_key = $1`,
          [idem2],
        )) as Array<{ c: number }>;
        expect(c).toBe(1);
      } finally {
        await a.release();
        await b.release();
      }
    }
    const counted = (await db.query(
      `SELECT count(*)::int AS n FROM messages WHERE idempotency_key = $1 OR provider_message_id = $2`,
      [idem, pid],
    )) as Array<{ n: number }>;
    expect(counted[0].n).toBe(2);
    expect(first).not.toBeNull();
  });

  it('deleting a message deletes its attempts and attachments and clears what pointed at it', async () => {
    const m = (await message(month(0), { idem: `del-${++n}`, pid: `del-${n}` }))!;
    await db.query(
      `INSERT INTO delivery_attempts (message_id, attempt_no, channel, status) VALUES ($1, 1, 'sms', 'queued')`,
      [m.id],
    );
    await db.query(
      `INSERT INTO attachments (message_id, filename, content_type, size) VALUES ($1, 'a.txt', 'text/plain', 1)`,
      [m.id],
    );
    const [{ id: digestId }] = (await db.query(
      `INSERT INTO digests (customer_id, status, due_at, message_id) VALUES ($1, 'sent', now(), $2) RETURNING id`,
      [customerId, m.id],
    )) as Array<{ id: string }>;
    await db.query(`DELETE FROM messages WHERE id = $1`, [m.id]);
    const left = (await db.query(
      `SELECT (SELECT count(*)::int FROM delivery_attempts WHERE message_id = $1) AS attempts,
              (SELECT count(*)::int FROM attachments WHERE message_id = $1) AS attachments,
              (SELECT count(*)::int FROM message_keys WHERE message_id = $1) AS keys,
              (SELECT message_id FROM digests WHERE id = $2) AS digest_message`,
      [m.id, digestId],
    )) as Array<Record<string, unknown>>;
    expect(left[0]).toEqual({ attempts: 0, attachments: 0, keys: 0, digest_message: null });
  });

  it('drops only the months wholly older than RETENTION_<TABLE>_DAYS, and nothing when unset', async () => {
    const repo = app.hub.app.get(PartitionsRepository);
    const ks = [-6, -5, -4, -3, -2, -1];
    const made: Record<number, { id: string; part: string }> = {};
    const keys: Record<number, string> = {};
    for (const k of ks) {
      await repo.create(monthPartition('messages', now.getUTCFullYear(), now.getUTCMonth() + k));
      await repo.create(
        monthPartition('tracking_events', now.getUTCFullYear(), now.getUTCMonth() + k),
      );
      keys[k] = `ret-${k}-${++n}`;
      made[k] = (await message(new Date(month(k).getTime() + 86_400_000), { idem: keys[k] }))!;
      expect(made[k].part).toBe(nameOf('messages', k));
    }
    const oldMessage = made[-6];
    await db.query(
      `INSERT INTO delivery_attempts (message_id, attempt_no, channel, status, created_at)
       VALUES ($1, 1, 'sms', 'queued', now())`,
      [oldMessage.id],
    );
    const backDated = (await message(new Date('2001-01-01T00:00:00Z')))!;

    // Unset: everything stays.
    const kept = await withRetention({}).maintain(now);
    expect(kept.dropped).toEqual([]);
    for (const k of ks) expect(await partitions('messages')).toContain(nameOf('messages', k));

    const days = 100;
    const cutoff = now.getTime() - days * 86_400_000;
    const report = await withRetention({ RETENTION_MESSAGES_DAYS: days }).maintain(now);
    const expected = ks
      .filter((k) => month(k + 1).getTime() <= cutoff)
      .map((k) => nameOf('messages', k));
    expect(expected).toEqual(
      expect.arrayContaining([nameOf('messages', -6), nameOf('messages', -5)]),
    );
    expect(expected).not.toContain(nameOf('messages', -3));
    expect(report.dropped).toEqual(expected);
    const names = await partitions('messages');
    for (const k of ks)
      expect(names.includes(nameOf('messages', k))).toBe(!expected.includes(nameOf('messages', k)));
    // Other tables keep their months: their retention is unset.
    expect(await partitions('tracking_events')).toContain(nameOf('tracking_events', -6));
    // The dropped month's dependents went with it; the expired back-dated row too.
    const left = (await db.query(
      `SELECT (SELECT count(*)::int FROM delivery_attempts WHERE message_id = $1) AS attempts,
              (SELECT count(*)::int FROM messages WHERE id = $2) AS back_dated,
              (SELECT count(*)::int FROM messages WHERE id = $3) AS recent`,
      [oldMessage.id, backDated.id, made[-1].id],
    )) as Array<Record<string, number>>;
    expect(left[0]).toEqual({ attempts: 0, back_dated: 0, recent: 1 });
    expect(report.deleted.messages).toBeGreaterThanOrEqual(1);
    // Their keys are free again.
    expect(await message(month(0), { idem: keys[-6] })).not.toBeNull();
    expect(await message(month(0), { idem: keys[-1] })).toBeNull();
  });
});
