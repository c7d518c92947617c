import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import type { ErasedJob } from './privacy.repository';

/**
 * Removes from BullMQ the jobs of outbox rows an erasure deleted, through the queue's own API.
 * A job carries only outbox ids, and one left behind finds nothing to claim when it runs; this
 * takes the delayed ones (a fallback check, a follow-up) out of Redis now rather than when due.
 * A job that carried several rows is left: the other rows are not this customer's.
 */
@Injectable()
export class QueuedJobRemover {
  private readonly log = new Logger('Privacy');

  constructor(
    private readonly modules: ModuleRef,
    private readonly config: AppConfig,
  ) {}

  async remove(jobs: ErasedJob[]): Promise<number> {
    if (this.config.inProcessQueue) return 0;
    let removed = 0;
    for (const job of jobs) {
      const queue = this.modules.get<Queue>(getQueueToken(job.queue), { strict: false });
      // The id the driver gives a job of one row: the row and its due time.
      const jobId = `${job.id}-${new Date(job.runAt).getTime()}`;
      try {
        removed += await queue.remove(jobId);
      } catch (err) {
        // A job being run is locked by its worker: it finds its row gone and completes.
        this.log.warn(`queue job ${jobId} left in ${job.queue}: ${(err as Error).message}`);
      }
    }
    return removed;
  }
}
