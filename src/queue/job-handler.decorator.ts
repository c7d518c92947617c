import { SetMetadata } from '@nestjs/common';
import type { QueueName } from './queue-names';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

export interface JobHandlerOptions {
  /**
   * A scalar SQL expression over the claimed row `j` (j.payload, j.id...) that the claim
   * statement evaluates with the claim: the handler gets its value as ctx.preloaded, one round
   * trip fewer per job. It must not fail on a malformed payload (answer NULL instead).
   */
  preload?: string;
}

export interface JobHandlerMeta extends JobHandlerOptions {
  queue: QueueName;
  name: string;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  maxAttempts: number;
  /** The value of the handler's preload expression, read when the job was claimed. */
  preloaded?: unknown;
}

/**
 * Returned by a handler whose own last statement already marked its outbox row done
 * (outboxDoneSql in outbox-done.sql.ts), atomically with its work: the queue then writes
 * nothing more.
 */
export const JOB_COMPLETED = Symbol('JOB_COMPLETED');

/** Marks a provider method as the handler of one job; the app refuses to start on duplicates. */
export const JobHandler = (queue: QueueName, name: string, options: JobHandlerOptions = {}) =>
  SetMetadata<symbol, JobHandlerMeta>(JOB_HANDLER, { queue, name, ...options });

/** Thrown by a handler for work that must not be retried. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** The statement itself lives with the outbox's; re-exported for the send path that imports it here. */
