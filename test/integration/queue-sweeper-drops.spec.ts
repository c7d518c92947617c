import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobQueueService } from '../../src/queue/job-queue.service';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/** Every job the queue drops (the outbox row left for a later sweep, or for good) is logged with why. */
describe('queue sweeper drops', () => {
  let app: TestApp;
  let ds: DataSource;
  let queue: JobQueueService;

  beforeAll(async () => {
    app = await startTestApp();
    ds = app.hub.app.get(DataSource);
    queue = app.hub.app.get(JobQueueService);
  });
  afterAll(() => app?.close());
  afterEach(() => jest.restoreAllMocks());

  const warnings = (warn: jest.SpyInstance) => warn.mock.calls.map((c) => String(c[0]));
  const status = async (id: string) =>
    (
      (await ds.query(`SELECT status FROM outbox_jobs WHERE id = $1`, [id])) as Array<{
        status: string;
      }>
    )[0].status;

  it('names each row the sweeper cannot dispatch: its id, queue and job, and why', async () => {
    const [due, stalled] = (await ds.query(
      `INSERT INTO outbox_jobs (queue, name, payload, status, run_at, locked_until)
       VALUES ('retired-queue', 'old-job', '{}', 'pending', now() - interval '1 minute', NULL),
              ('retired-queue', 'old-lease', '{}', 'running', now() - interval '1 minute', now() - interval '1 second')
       RETURNING id`,
    )) as Array<{ id: string }>;
    const warn = jest.spyOn(Logger.prototype, 'warn');
    await queue.redrive(0);
    await queue.redriveStalled();
    const lines = warnings(warn).filter((l) => /^sweeper dropped job/.test(l));
    const about = (id: string) => lines.filter((l) => l.includes(id));
    expect(about(due.id)).toContain(
      `sweeper dropped job ${due.id} (retired-queue:old-job): no queue named "retired-queue", so no driver can run it; the row stays in the outbox`,
    );
    expect(about(stalled.id).join('\n')).toContain(`(retired-queue:old-lease)`);
    // Dropped from the queue, not from the outbox.
    expect(await status(due.id)).toBe('pending');
    expect(await status(stalled.id)).toBe('running');
  });

  it('names each job a driver drops because its runner failed, and leaves its row to the sweeper', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const run = queue.run.bind(queue);
    let failing = '';
    jest
      .spyOn(queue, 'run')
      .mockImplementation((jobId) =>
        jobId === failing ? Promise.reject(new Error('the database went away')) : run(jobId),
      );
    const id = await queue.enqueue({
      queue: 'maintenance',
      name: 'sweeper-drop-test',
      payload: {},
      runAt: new Date(Date.now() + 60_000),
    });
    failing = id;
    // Due in a minute for the sweeper; dispatched now for the driver, whose runner fails.
    await queue.dispatch({ id, queue: 'maintenance', runAt: new Date(), maxAttempts: 5 });
    const line = await eventually(
      async () => warnings(warn).find((l) => l.includes(id)),
      'the dropped job to be logged',
    );
    expect(line).toBe(
      `job ${id} on maintenance dropped, left to the outbox sweeper: the database went away`,
    );
    expect(await status(id)).toBe('pending');
  });
});
