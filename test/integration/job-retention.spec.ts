import { DataSource } from 'typeorm';
import { JobRetentionService } from '../../src/privacy/job-retention.service';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { JobRegistry } from '../../src/queue/job-registry';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY_MS = 86_400_000;

/** Finished jobs move to finished_jobs after JOB_RETENTION_DAYS; newer and unfinished ones stay. */
describe(JobRetentionService.name, () => {
  let app: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    app = await startTestApp({ JOB_RETENTION_DAYS: '7' });
    db = app.hub.app.get(DataSource);
  });
  afterAll(() => app?.close());

  /** A job row of this test, last touched `ageDays` ago, never run by a worker. */
  async function job(
    status: string,
    ageDays: number,
    tag: string,
    dedupeKey?: string,
  ): Promise<string> {
    const at = new Date(Date.now() - ageDays * DAY_MS);
    const [row] = (await db.query(
      `INSERT INTO outbox_jobs (queue, name, payload, status, run_at, created_at, updated_at, dedupe_key)
       VALUES ('maintenance', 'retention-test', $1, $2, $3, $3, $3, $4) RETURNING id`,
      [
        JSON.stringify({ tag }),
        status,
        status === 'pending' ? new Date(Date.now() + DAY_MS) : at,
        dedupeKey ?? null,
      ],
    )) as Array<{ id: string }>;
    await db.query(`UPDATE outbox_jobs SET updated_at = $2 WHERE id = $1`, [row.id, at]);
    return row.id;
  }

  const left = async (tag: string) =>
    (
      (await db.query(
        `SELECT status, round(extract(epoch FROM now() - updated_at) / 86400) AS days
         FROM outbox_jobs WHERE payload->>'tag' = $1 ORDER BY status, updated_at`,
        [tag],
      )) as Array<{ status: string; days: string }>
    ).map((r) => `${r.status}:${r.days}`);

  const moved = async (tag: string) =>
    (
      (await db.query(
        `SELECT status, round(extract(epoch FROM now() - finished_at) / 86400) AS days,
                tableoid::regclass::text AS part
         FROM finished_jobs WHERE payload->>'tag' = $1 ORDER BY status, finished_at`,
        [tag],
      )) as Array<{ status: string; days: string; part: string }>
    ).map((r) => `${r.status}:${r.days}`);

  it('moves finished rows older than the period in batches, and keeps newer and unfinished ones', async () => {
    const tag = 'batches';
    for (let i = 0; i < 5; i++) await job('done', 8 + i, tag);
    await job('failed', 30, tag);
    await job('done', 6, tag);
    await job('failed', 1, tag);
    await job('pending', 20, tag);
    // A batch of 2: three statements take the six old rows.
    const purged = await app.hub.app.get(JobRetentionService).purge(new Date(), 2);
    expect(purged).toBe(6);
    expect(await left(tag)).toEqual(['done:6', 'failed:1', 'pending:20']);
    expect(await moved(tag)).toEqual([
      'done:12',
      'done:11',
      'done:10',
      'done:9',
      'done:8',
      'failed:30',
    ]);
  });

  it('moves a job into the month it finished in, and keeps its dedupe key within the period', async () => {
    const tag = 'dedupe';
    const key = `retention-dedupe-${Date.now()}`;
    const oldKey = `${key}-old`;
    await job('done', 3, tag, key);
    await job('done', 40, tag, oldKey);
    await app.hub.app.get(JobRetentionService).purge();
    const again = async (dedupeKey: string) =>
      app.hub.app.get(JobQueueService).enqueue({
        queue: 'maintenance',
        name: 'retention-test',
        payload: { tag: `${tag}-again` },
        dedupeKey,
        runAt: new Date(Date.now() + DAY_MS),
      });
    // Within the period the finished job still holds its key: no second job.
    await again(key);
    expect(await left(tag)).toEqual(['done:3']);
    expect(await left(`${tag}-again`)).toEqual([]);
    // The old one left the queue for the partition of its month; its key is free.
    const [row] = (await db.query(
      `SELECT tableoid::regclass::text AS part, finished_at FROM finished_jobs WHERE dedupe_key = $1`,
      [oldKey],
    )) as Array<{ part: string; finished_at: Date }>;
    const f = row.finished_at;
    const month = `finished_jobs_y${f.getUTCFullYear()}m${String(f.getUTCMonth() + 1).padStart(2, '0')}`;
    const months = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS yes`, [month])) as Array<{
      yes: boolean;
    }>;
    expect(row.part).toBe(months[0].yes ? month : 'finished_jobs_default');
    await again(oldKey);
    expect(await left(`${tag}-again`)).toHaveLength(1);
  });

  it('runs as an hourly job on the maintenance queue, which schedules the next hour', async () => {
    const scheduled = (await db.query(
      `SELECT run_at, status FROM outbox_jobs WHERE queue = 'maintenance' AND name = 'job-retention'`,
    )) as Array<{ run_at: Date; status: string }>;
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0].status).toBe('pending');
    const hour = 3_600_000;
    expect(scheduled[0].run_at.getTime()).toBe((Math.floor(Date.now() / hour) + 1) * hour);

    const tag = 'handler';
    await job('done', 10, tag);
    await job('done', 2, tag);
    const handler = app.hub.app.get(JobRegistry).get('maintenance', 'job-retention');
    await handler({}, { jobId: 'x', attempt: 1, maxAttempts: 3 });
    expect(await left(tag)).toEqual(['done:2']);
    expect(await moved(tag)).toEqual(['done:10']);
  });
});
