import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Coalescer } from '../common/coalescer';
import type { DispatchSpec, JobRunner, QueueDriver } from './queue-driver';
import type { QueueSpec } from './queue-names';

/** BullMQ on Redis: jobs survive restarts, run on any worker process, delays are Redis timers. */
export class BullmqDriver implements QueueDriver {
  readonly kind = 'bullmq' as const;
  private readonly workers: Worker[] = [];
  /** Per queue: dispatches made while an add is in flight go out together as one addBulk. */
  private readonly adders = new Map<string, Coalescer<DispatchSpec, void>>();

  constructor(
    private readonly queues: Map<string, Queue>,
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
  ) {}

  async start(specs: QueueSpec[], runner: JobRunner, consume: boolean): Promise<void> {
    if (!consume) return;
    for (const spec of specs) {
      const worker = new Worker(
        spec.name,
        async (job) => {
          // Never fail the BullMQ job: the outbox row holds the truth, and a completed (removed)
          // job lets the sweeper dispatch the row again under the same job id.
          try {
            return await runner(String((job.data as { outboxId: string }).outboxId));
          } catch {
            return 'deferred';
          }
        },
        {
          connection: this.connection,
          prefix: this.prefix,
          concurrency: spec.concurrency,
          limiter: spec.limiter,
          autorun: true,
        },
      );
      // Errors are recorded on the outbox row by the runner; this only keeps them out of stderr.
      worker.on('error', () => undefined);
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async dispatch(job: DispatchSpec): Promise<void> {
    const queue = this.queues.get(job.queue);
    if (!queue) throw new Error(`unknown queue ${job.queue}`);
    let adder = this.adders.get(job.queue);
    if (!adder) {
      adder = new Coalescer((jobs) => addAll(queue, jobs));
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

  /** Graceful: workers finish their active jobs; waiting ones stay in Redis. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

/** One Redis round trip (a MULTI of add scripts) for jobs of one queue; the job id dedupes. */
async function addAll(queue: Queue, jobs: DispatchSpec[]): Promise<void[]> {
  const now = Date.now();
  await queue.addBulk(
    jobs.map((job) => ({
      name: 'outbox',
      data: { outboxId: job.id },
      opts: {
        jobId: `${job.id}-${job.runAt.getTime()}`,
        delay: Math.max(0, job.runAt.getTime() - now),
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    })),
  );
  return jobs.map(() => undefined);
}
