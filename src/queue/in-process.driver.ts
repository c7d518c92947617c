import { Logger } from '@nestjs/common';
import type { DispatchSpec, JobRunner, QueueDriver } from './queue-driver';
import type { QueueSpec } from './queue-names';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs jobs in this process with per-queue concurrency; the outbox re-drives them after a restart. */
export class InProcessDriver implements QueueDriver {
  readonly kind = 'in-process' as const;
  private readonly log = new Logger('Queue');
  private runner?: JobRunner;
  private consume = false;
  private readonly specs = new Map<string, QueueSpec>();
  private readonly waiting = new Map<string, string[]>();
  private readonly active = new Map<string, number>();
  private readonly scheduled = new Map<string, NodeJS.Timeout>();
  private readonly known = new Set<string>();
  private stopped = false;
  private readonly idleWaiters: Array<() => void> = [];

  async start(queues: QueueSpec[], runner: JobRunner, consume: boolean): Promise<void> {
    this.runner = runner;
    this.consume = consume;
    for (const q of queues) {
      this.specs.set(q.name, q);
      this.waiting.set(q.name, []);
      this.active.set(q.name, 0);
    }
  }

  async dispatch(job: DispatchSpec): Promise<void> {
    if (this.stopped || !this.consume) return;
    const key = `${job.id}@${job.runAt.getTime()}`;
    if (this.known.has(key)) return;
    this.known.add(key);
    const delay = job.runAt.getTime() - Date.now();
    if (delay > 0) {
      const timer = setTimeout(
        () => {
          this.scheduled.delete(key);
          this.known.delete(key);
          if (delay > MAX_TIMER_MS) void this.dispatch(job);
          else this.enqueue(job.queue, job.id);
        },
        Math.min(delay, MAX_TIMER_MS),
      );
      timer.unref();
      this.scheduled.set(key, timer);
    } else {
      this.known.delete(key);
      this.enqueue(job.queue, job.id);
    }
  }

  private enqueue(queue: string, id: string): void {
    const list = this.waiting.get(queue);
    if (!list) throw new Error(`unknown queue ${queue}`);
    list.push(id);
    this.pump(queue);
  }

  private pump(queue: string): void {
    const spec = this.specs.get(queue)!;
    const list = this.waiting.get(queue)!;
    while (!this.stopped && list.length > 0 && this.active.get(queue)! < spec.concurrency) {
      const id = list.shift()!;
      this.active.set(queue, this.active.get(queue)! + 1);
      void this.runner!(id)
        .catch((e: unknown) => {
          // The row stays in the outbox: the sweeper dispatches it again.
          this.log.warn(
            `job ${id} on ${queue} dropped, left to the outbox sweeper: ${e instanceof Error ? e.message : String(e)}`,
          );
          return 'retry';
        })
        .finally(() => {
          this.active.set(queue, this.active.get(queue)! - 1);
          this.pump(queue);
          this.notifyIdle();
        });
    }
  }

  private notifyIdle(): void {
    if (this.isIdle()) this.idleWaiters.splice(0).forEach((r) => r());
  }

  private isIdle(): boolean {
    for (const [q, n] of this.active) if (n > 0 || this.waiting.get(q)!.length > 0) return false;
    return true;
  }

  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [q, n] of this.active) out[q] = n + this.waiting.get(q)!.length;
    out.delayed = this.scheduled.size;
    return out;
  }

  async ping(): Promise<void> {}

  /** Finishes the jobs already running; waiting ones stay in the outbox for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.scheduled.values()) clearTimeout(t);
    this.scheduled.clear();
    for (const list of this.waiting.values()) list.length = 0;
    if (!this.isIdle()) await new Promise<void>((r) => this.idleWaiters.push(r));
  }
}
