import { Logger } from '@nestjs/common';
import { Queue, Worker, type ConnectionOptions, type JobsOptions } from 'bullmq';
import pLimit from 'p-limit';
import { Coalescer } from '../common/coalescer';
import type { DispatchSpec, JobRunner, QueueDriver } from './queue-driver';
import type { QueueSpec } from './queue-names';

/** Most outbox rows one BullMQ job carries (its runner takes them all at once). */
export const BATCH_MAX = 32;

/**
 * Longest wait at shutdown for the workers to finish their jobs and close. A worker whose
 * blocking connection is between two reconnect attempts never closes (ioredis 5 emits no 'end'
 * for a client disconnected while reconnecting, and BullMQ awaits it); rows it leaves are
 * leased, so another worker or the next start takes them up. Inside a 30 s termination grace.
 */
export const WORKER_CLOSE_GRACE_MS = 25_000;

/** What a BullMQ job of ours carries: one outbox row, or several due together. */
type JobData = { outboxId: string } | { outboxIds: string[] };

/**
 * BullMQ on Redis: jobs survive restarts, run on any worker process, delays are Redis timers.
 * Rows dispatched together and due within the same second (a burst of sends, their fallback
 * checks, a campaign batch) travel as one job on queues without a limiter: BullMQ's own cost
 * (add, take, finish: three scripts and their round trips) is then paid per batch rather than
 * per row. A limited queue keeps one job per row, so its limiter counts sends.
 */
export class BullmqDriver implements QueueDriver {
  readonly kind = 'bullmq' as const;
  private readonly workers: Worker[] = [];
  /** Per queue: dispatches made while an add is in flight go out together as one addBulk. */
  private readonly adders = new Map<string, Coalescer<DispatchSpec, void>>();
  private readonly limited = new Set<string>();
  /** Set by stop(): rows a job carries that have not started yet go back to the outbox. */
  private stopping = false;
  private readonly log = new Logger('Queue');

  constructor(
    private readonly queues: Map<string, Queue>,
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
    /** Where connection errors go: one line per reconnect attempt (redis-options.ts). */
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {
    // Without a listener BullMQ prints each error's stack to stderr.
    for (const q of queues.values()) q.on('error', onError);
  }

  async start(specs: QueueSpec[], runner: JobRunner, consume: boolean): Promise<void> {
    for (const spec of specs) if (spec.limiter) this.limited.add(spec.name);
    if (!consume) return;
    for (const spec of specs) {
      // Rows run at most `concurrency` at once per process, however many each job carries.
      const slots = pLimit(spec.concurrency);
      // Never fail the BullMQ job: the outbox row holds the truth, and a completed (removed) job
      // lets the sweeper dispatch the row again under the same job id. Each row so dropped from
      // Redis is logged with why.
      const deferred = (id: string, why: string) => {
        this.log.warn(`job ${id} on ${spec.name} dropped, left to the outbox sweeper: ${why}`);
        return 'deferred' as const;
      };
      const run = (id: string) =>
        slots(() => (this.stopping ? deferred(id, 'the worker is stopping') : runner(id))).catch(
          (e: unknown) => deferred(id, e instanceof Error ? e.message : String(e)),
        );
      const worker = new Worker(
        spec.name,
        async (job) => {
          const data = job.data as JobData;
          if ('outboxIds' in data) return Promise.all(data.outboxIds.map(run));
          return run(String(data.outboxId));
        },
        {
          connection: this.connection,
          prefix: this.prefix,
          concurrency: spec.concurrency,
          limiter: spec.limiter,
          autorun: true,
          ...spec.lock,
        },
      );
      // Job errors are recorded on the outbox row by the runner; connection errors are funnelled.
      worker.on('error', this.onError);
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async dispatch(job: DispatchSpec): Promise<void> {
    const queue = this.queues.get(job.queue);
    if (!queue) throw new Error(`unknown queue ${job.queue}`);
    let adder = this.adders.get(job.queue);
    if (!adder) {
      // Asked per add: a dispatch may come before start() has told which queues are limited.
      const name = job.queue;
      adder = new Coalescer((jobs) => addAll(queue, jobs, !this.limited.has(name)));
      this.adders.set(job.queue, adder);
    }
    await adder.submit(job);
  }

  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, q] of this.queues) {
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      out[name] = (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
    }
    return out;
  }

  async ping(): Promise<void> {
    const q = this.queues.values().next().value as Queue;
    await q.getJobCounts('waiting');
  }

  /**
   * Graceful: sends under way finish; rows a job carries that have not started are left
   * unclaimed for the sweeper (here at the next start, or on another worker); waiting jobs stay
   * in Redis.
   */
  async stop(graceMs = WORKER_CLOSE_GRACE_MS): Promise<void> {
    this.stopping = true;
    const open = new Set(this.workers);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.workers.map((w) => w.close().finally(() => open.delete(w)))),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    if (open.size)
      this.log.warn(
        `workers ${[...open].map((w) => w.name).join(', ')} not closed after ${graceMs} ms (Redis reconnecting?); shutting down without them`,
      );
  }
}

/**
 * One Redis round trip (a MULTI of add scripts) for jobs of one queue. Rows due within the
 * same second share a job, which runs when the last of them is due (never early: a claim
 * takes only due rows). A row alone keeps a job id of its own (row and due time), which
 * dedupes a dispatch repeated while the first waits; a batch needs none, since a row is
 * claimed once whoever carries it (a second carrier finds it taken).
 */
async function addAll(queue: Queue, jobs: DispatchSpec[], batches: boolean): Promise<void[]> {
  const now = Date.now();
  const groups = batches ? byDueSecond(jobs) : jobs.map((job) => [job]);
  const entries = groups.map((group): { name: string; data: JobData; opts: JobsOptions } => {
    const last = group[group.length - 1];
    const delay = Math.max(0, last.runAt.getTime() - now);
    return group.length === 1
      ? {
          name: 'outbox',
          data: { outboxId: last.id },
          opts: { jobId: `${last.id}-${last.runAt.getTime()}`, delay, ...REMOVE },
        }
      : {
          name: 'outbox-batch',
          data: { outboxIds: group.map((job) => job.id) },
          opts: { delay, ...REMOVE },
        };
  });
  await queue.addBulk(entries);
  return jobs.map(() => undefined);
}

/** Groups of at most BATCH_MAX rows, in due order, each spanning less than a second. */
function byDueSecond(jobs: DispatchSpec[]): DispatchSpec[][] {
  const sorted = [...jobs].sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
  const groups: DispatchSpec[][] = [];
  for (const job of sorted) {
    const group = groups[groups.length - 1];
    if (
      group !== undefined &&
      group.length < BATCH_MAX &&
      job.runAt.getTime() - group[0].runAt.getTime() < 1000
    )
      group.push(job);
    else groups.push([job]);
  }
  return groups;
}

const REMOVE = { removeOnComplete: true, removeOnFail: 1000 } as const;
