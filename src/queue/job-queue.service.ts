import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Coalescer } from '../common/coalescer';
import { AppConfig } from '../config/app-config';
import type { Tx } from '../database/transactions';
import { JOB_COMPLETED, PermanentJobError } from './job-handler.decorator';
import { JobRegistry } from './job-registry';
import {
  OutboxRepository,
  type ClaimedJob,
  type StagedJob,
  type SweptJob,
} from './outbox.repository';
import { backoffMs, QUEUE_DRIVER, type QueueDriver } from './queue-driver';
import { ALL_QUEUES, withLease, type QueueName } from './queue-names';
import { withSendRates } from './send-rates';

export interface EnqueueSpec {
  queue: QueueName;
  name: string;
  payload: Record<string, unknown>;
  /** Same key = same job (idempotent enqueue). */
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** How long a due row may wait before the sweeper dispatches it again (the driver lost it). */
const SWEEP_MS = 15_000;

/**
 * The one way work is queued. A job is an outbox row first (in the caller's transaction when
 * given), then a message to the driver; a sweeper re-drives rows the driver lost (a crash, a
 * restart of the in-process queue, a flushed Redis).
 *
 * A claimed row is leased (JOB_LEASE_SECONDS) and the lease is renewed while its handler runs,
 * so a long job keeps its row; a row whose lease lapsed has no live runner (its process died or
 * froze) and is dispatched again within a quarter of a lease.
 */
@Injectable()
export class JobQueueService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Queue');
  private sweeper?: NodeJS.Timeout;
  private stalledSweeper?: NodeJS.Timeout;
  private renewer?: NodeJS.Timeout;
  /** Rows this process has claimed and not finished: their leases are renewed. */
  private readonly running = new Set<string>();
  private readonly listeners = new Set<
    (job: { queue: string; name: string; id: string; outcome: string }) => void
  >();

  /** Concurrent runners claim, and mark done, their rows in one statement each. */
  private readonly claims = new Coalescer((ids: string[]) => this.claimAll(ids));
  private readonly completions = new Coalescer((ids: string[]) => this.completeAll(ids));
  /** The queues the drivers serve: a row on any other can never run. */
  private readonly queueNames: ReadonlySet<string> = new Set(ALL_QUEUES.map((q) => q.name));

  constructor(
    private readonly outbox: OutboxRepository,
    @Inject(QUEUE_DRIVER) private readonly driver: QueueDriver,
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
  ) {}

  get driverKind(): 'bullmq' | 'in-process' {
    return this.driver.kind;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.driver.start(
      withLease(withSendRates(ALL_QUEUES, this.config), this.leaseSeconds),
      (id) => this.run(id),
      this.config.runsWorker,
    );
    if (this.config.runsWorker) {
      await this.redrive(0);
      this.sweeper = setInterval(
        () => void this.redrive(SWEEP_MS).catch((e: Error) => this.sweepFailed(e)),
        SWEEP_MS,
      );
      this.sweeper.unref();
      this.stalledSweeper = setInterval(
        () => void this.redriveStalled().catch((e: Error) => this.sweepFailed(e)),
        stalledSweepMs(this.leaseSeconds),
      );
      this.stalledSweeper.unref();
      this.renewer = setInterval(
        () => void this.renewLeases().catch((e: Error) => this.sweepFailed(e)),
        renewMs(this.leaseSeconds),
      );
      this.renewer.unref();
    }
  }

  private get leaseSeconds(): number {
    return this.config.env.JOB_LEASE_SECONDS;
  }

  private sweepFailed(e: Error): void {
    this.log.warn(`outbox sweep or lease renewal failed: ${e.message}`);
  }

  /** Before any module closes: workers finish their jobs while the database is still there. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.stalledSweeper) clearInterval(this.stalledSweeper);
    await this.driver.stop();
    // Renewed until the last running job has finished.
    if (this.renewer) clearInterval(this.renewer);
  }

  /** Writes the outbox row and dispatches it. */
  async enqueue(spec: EnqueueSpec): Promise<string> {
    const job = await this.outbox.stage(spec);
    await this.dispatch(job);
    return job.id;
  }

  /** Writes the outbox row inside the caller's transaction; call dispatch() after commit. */
  async stage(tx: Tx, spec: EnqueueSpec): Promise<StagedJob> {
    return this.outbox.stage(spec, tx);
  }

  async dispatch(job: StagedJob): Promise<void> {
    try {
      await this.driver.dispatch({
        id: job.id,
        queue: job.queue,
        runAt: job.runAt,
        maxAttempts: job.maxAttempts,
      });
    } catch (err) {
      // The row is safe in the outbox; the sweeper dispatches it again.
      this.log.warn(
        `dispatch of job ${job.id} (queue ${job.queue}) deferred to the sweeper: ${(err as Error).message}`,
      );
    }
  }

  /** Dispatches many (the driver sends those of one queue together); failures go to the sweeper. */
  async dispatchAll(jobs: readonly StagedJob[]): Promise<void> {
    await Promise.all(jobs.map((job) => this.dispatch(job)));
  }

  /** Cancels a pending job (a revoked consent, a resolved conversation's SLA timer). */
  async cancel(dedupeKey: string): Promise<boolean> {
    return this.outbox.cancelPending(dedupeKey);
  }

  onJobFinished(
    fn: (job: { queue: string; name: string; id: string; outcome: string }) => void,
  ): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async counts(): Promise<Record<string, number>> {
    return this.driver.counts();
  }

  async ping(): Promise<void> {
    await this.driver.ping();
  }

  /** Claims the row (exactly one runner at a time), runs its handler, records the outcome. */
  async run(id: string): Promise<'done' | 'retry' | 'failed' | 'skipped'> {
    const job = await this.claims.submit(id);
    if (!job) return 'skipped';
    this.running.add(id);
    try {
      return await this.runClaimed(id, job);
    } finally {
      this.running.delete(id);
    }
  }

  private async runClaimed(
    id: string,
    job: ClaimedJob,
  ): Promise<'done' | 'retry' | 'failed' | 'skipped'> {
    let outcome: 'done' | 'retry' | 'failed';
    try {
      const handler = this.registry.get(job.queue, job.name);
      const result = await handler(job.payload, {
        jobId: job.id,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
        ...(job.preloaded === null ? {} : { preloaded: job.preloaded }),
      });
      if (result !== JOB_COMPLETED) await this.completions.submit(id);
      outcome = 'done';
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const final = err instanceof PermanentJobError || job.attempts >= job.maxAttempts;
      if (final) {
        await this.outbox.markFailed(id, message);
        this.log.error(`job ${job.queue}:${job.name} ${id} failed for good: ${message}`);
        outcome = 'failed';
      } else {
        const runAt = new Date(Date.now() + backoffMs(job.attempts));
        await this.outbox.retryAt(id, runAt, message);
        this.log.warn(
          `job ${job.queue}:${job.name} ${id} attempt ${job.attempts} failed, retrying: ${message}`,
        );
        await this.dispatch({ id, queue: job.queue, runAt, maxAttempts: job.maxAttempts });
        outcome = 'retry';
      }
    }
    for (const fn of this.listeners) fn({ queue: job.queue, name: job.name, id, outcome });
    return outcome;
  }

  /**
   * Claims due rows no runner holds (exactly one runner at a time). The same id asked for twice
   * in one batch is claimed once: the first asker gets the row, the other is skipped.
   */
  private async claimAll(ids: string[]): Promise<Array<ClaimedJob | null>> {
    const rows = await this.outbox.claim(ids, this.leaseSeconds, this.registry.preloads());
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = byId.get(id) ?? null;
      byId.delete(id);
      return row;
    });
  }

  private async completeAll(ids: string[]): Promise<void[]> {
    await this.outbox.markDone(ids);
    return ids.map(() => undefined);
  }

  /** Extends the leases of the rows this process is running (one statement for all). */
  async renewLeases(): Promise<void> {
    if (this.running.size === 0) return;
    await this.outbox.renewLeases([...this.running], this.leaseSeconds);
  }

  /** Dispatches running rows whose lease lapsed: their runner is gone. */
  async redriveStalled(): Promise<number> {
    const rows = await this.outbox.stalled();
    await this.dispatchAll(this.runnable(rows));
    if (rows.length > 0)
      this.log.warn(`re-driven ${rows.length} job(s) whose runner stopped renewing its lease`);
    return rows.length;
  }

  /** Dispatches rows due for at least `graceMs` that no runner holds. */
  async redrive(graceMs: number): Promise<number> {
    const rows = await this.outbox.unclaimed(graceMs);
    // Together, so the driver can carry rows due in the same second in one job.
    await this.dispatchAll(this.runnable(rows));
    if (rows.length > 0 && graceMs === 0)
      this.log.log(`re-driven ${rows.length} queued job(s) from the outbox`);
    return rows.length;
  }

  /**
   * The swept rows a driver can carry. A row on a queue this hub does not serve (written by a
   * version that had it) is not dispatched: it stays in the outbox as it is, and each sweep
   * that passes it over says so.
   */
  private runnable(rows: SweptJob[]): SweptJob[] {
    const out: SweptJob[] = [];
    for (const row of rows) {
      if (this.queueNames.has(row.queue)) out.push(row);
      else
        this.log.warn(
          `sweeper dropped job ${row.id} (${row.queue}:${row.name}): no queue named "${row.queue}", so no driver can run it; the row stays in the outbox`,
        );
    }
    return out;
  }
}

/** How often a running job's lease is renewed: three times a lease. */
export function renewMs(leaseSeconds: number): number {
  return Math.max(500, Math.floor((leaseSeconds * 1000) / 3));
}

/** How often lapsed leases are looked for: four times a lease, at least every 15 s. */
export function stalledSweepMs(leaseSeconds: number): number {
  return Math.min(SWEEP_MS, Math.max(500, Math.floor((leaseSeconds * 1000) / 4)));
}
