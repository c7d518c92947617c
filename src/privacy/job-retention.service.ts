import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { JobRetentionRepository } from './job-retention.repository';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Rows moved per statement. */
export const RETENTION_BATCH = 1000;

/**
 * Finished jobs (their payloads carry webhook bodies: senders, texts) stay in the live queue
 * JOB_RETENTION_DAYS (their dedupe keys hold that long), then an hourly job on the maintenance
 * queue moves them to finished_jobs, whose months go per RETENTION_FINISHED_JOBS_DAYS (src/partitions). One job per hour:
 * its dedupe key names the hour, so every worker instance stages the same one.
 */
@Injectable()
export class JobRetentionService implements OnApplicationBootstrap {
  private readonly log = new Logger('JobRetention');

  constructor(
    private readonly queue: JobQueueService,
    private readonly repo: JobRetentionRepository,
    private readonly config: AppConfig,
  ) {}

  private get days(): number {
    return this.config.env.JOB_RETENTION_DAYS;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsWorker && this.days > 0) await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    const slot = Math.floor(Date.now() / HOUR_MS) + 1;
    await this.queue.enqueue({
      queue: QUEUES.maintenance.name,
      name: 'job-retention',
      payload: { slot },
      dedupeKey: `job-retention:${slot}`,
      runAt: new Date(slot * HOUR_MS),
      maxAttempts: 3,
    });
  }

  @JobHandler('maintenance', 'job-retention')
  async scheduled(): Promise<void> {
    const n = await this.purge();
    if (n > 0)
      this.log.log(`moved ${n} finished job(s) older than ${this.days} day(s) to finished_jobs`);
    await this.scheduleNext();
  }

  /** Moves finished jobs older than the period to finished_jobs, batch by batch; answers how many. */
  async purge(now = new Date(), batch = RETENTION_BATCH): Promise<number> {
    if (this.days <= 0) return 0;
    const before = new Date(now.getTime() - this.days * DAY_MS);
    let total = 0;
    for (;;) {
      const n = await this.repo.moveFinishedBefore(before, batch);
      total += n;
      if (n < batch) return total;
    }
  }
}
