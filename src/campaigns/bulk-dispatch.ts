import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type ConnectionOptions } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { JobQueueService } from '../queue/job-queue.service';
import { redisOptionsFromUrl } from '../queue/redis-options';
import type { StagedJob } from './batch-writer';

/**
 * Hands a batch's committed outbox rows to the queue. On BullMQ, one addBulk per queue (the
 * per-job add of JobQueueService.dispatch costs a round trip each); the jobs have exactly the
 * shape BullmqDriver.dispatch gives them (name 'outbox', data {outboxId}, jobId
 * `<outboxId>-<runAt ms>`), so the same workers run them and the outbox sweeper's re-dispatch
 * of a lost one is de-duplicated. A failed addBulk leaves the rows to the sweeper.
 * TODO(foundation): replace with JobQueueService.dispatchMany when the queue module offers it.
 */
@Injectable()
export class BulkDispatcher implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobQueueService,
  ) {}

  async dispatch(staged: readonly StagedJob[]): Promise<void> {
    const url = this.config.env.REDIS_URL;
    if (!url || this.jobs.driverKind !== 'bullmq') {
      for (let i = 0; i < staged.length; i += 500)
        await Promise.all(staged.slice(i, i + 500).map((j) => this.jobs.dispatch(j)));
      return;
    }
    const byQueue = new Map<string, StagedJob[]>();
    for (const j of staged) {
      const list = byQueue.get(j.queue);
      if (list) list.push(j);
      else byQueue.set(j.queue, [j]);
    }
    const now = Date.now();
    await Promise.all(
      [...byQueue].map(async ([name, list]) => {
        try {
          await this.queue(name, url).addBulk(
            list.map((j) => ({
              name: 'outbox',
              data: { outboxId: j.id },
              opts: {
                jobId: `${j.id}-${j.runAt.getTime()}`,
                delay: Math.max(0, j.runAt.getTime() - now),
                removeOnComplete: true,
                removeOnFail: 1000,
              },
            })),
          );
        } catch {
          // The rows are committed: the sweeper dispatches them again.
        }
      }),
    );
  }

  private queue(name: string, url: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: redisOptionsFromUrl(url) as ConnectionOptions,
        prefix: this.config.env.QUEUE_PREFIX,
      });
      this.queues.set(name, q);
    }
    return q;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
