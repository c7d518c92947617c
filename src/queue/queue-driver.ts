import type { QueueSpec } from './queue-names';

export interface DispatchSpec {
  id: string;
  queue: string;
  runAt: Date;
  maxAttempts: number;
}

export type JobRunner = (outboxId: string) => Promise<'done' | 'retry' | 'failed' | 'skipped'>;

/** Carries outbox job ids to a runner: BullMQ on Redis, or timers in this process. */
export interface QueueDriver {
  readonly kind: 'bullmq' | 'in-process';
  start(queues: QueueSpec[], runner: JobRunner, consume: boolean): Promise<void>;
  dispatch(job: DispatchSpec): Promise<void>;
  /** Waiting + active + delayed jobs per queue (for /health and tests). */
  counts(): Promise<Record<string, number>>;
  ping(): Promise<void>;
  stop(): Promise<void>;
}

export const QUEUE_DRIVER = Symbol('QUEUE_DRIVER');

/** Exponential backoff with jitter, shared by both drivers. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 5 * 60_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}
