import { SetMetadata } from '@nestjs/common';
import type { QueueName } from './queue-names';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

export interface JobHandlerMeta {
  queue: QueueName;
  name: string;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  maxAttempts: number;
}

/** Marks a provider method as the handler of one job; the app refuses to start on duplicates. */
export const JobHandler = (queue: QueueName, name: string) =>
  SetMetadata<symbol, JobHandlerMeta>(JOB_HANDLER, { queue, name });

/** Thrown by a handler for work that must not be retried. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
