import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { Env } from '../config/config.schema';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import {
  PARTITIONED_TABLES,
  expiredPartitions,
  monthsAhead,
  parsePartition,
  retentionCutoff,
  type MonthPartition,
  type PartitionedTable,
} from './partition-months';
import { PartitionsRepository } from './partitions.repository';

const DAY_MS = 86_400_000;
/** Monthly partitions made ahead of the current month. */
export const MONTHS_AHEAD = 3;
/** Rows deleted per statement from a default partition. */
export const DEFAULT_PARTITION_BATCH = 1000;

const RETENTION_ENV: Record<PartitionedTable, keyof Env> = {
  messages: 'RETENTION_MESSAGES_DAYS',
  delivery_attempts: 'RETENTION_DELIVERY_ATTEMPTS_DAYS',
  tracking_events: 'RETENTION_TRACKING_EVENTS_DAYS',
  finished_jobs: 'RETENTION_FINISHED_JOBS_DAYS',
};

export interface MaintenanceReport {
  created: string[];
  /** Of those, months whose rows sat in the default partition and were moved into them. */
  moved: string[];
  dropped: string[];
  /** Rows deleted from default partitions, by table. */
  deleted: Partial<Record<PartitionedTable, number>>;
}

/**
 * Keeps the partitioned tables' months: at start and then daily (maintenance queue), creates
 * the next MONTHS_AHEAD months' partitions and applies RETENTION_<TABLE>_DAYS by dropping the
 * months wholly older than the period and deleting expired rows from the default partition.
 */
@Injectable()
export class PartitionMaintenanceService implements OnApplicationBootstrap {
  private readonly log = new Logger('Partitions');

  constructor(
    private readonly queue: JobQueueService,
    private readonly repo: PartitionsRepository,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsWorker) await this.schedule(Math.floor(Date.now() / DAY_MS), new Date());
  }

  /** The day's run (one per day whichever worker stages it: the dedupe key names the day). */
  private async schedule(day: number, runAt: Date): Promise<void> {
    await this.queue.enqueue({
      queue: QUEUES.maintenance.name,
      name: 'partition-maintenance',
      payload: { day },
      dedupeKey: `partition-maintenance:${day}`,
      runAt,
      maxAttempts: 3,
    });
  }

  @JobHandler('maintenance', 'partition-maintenance')
  async scheduled(): Promise<void> {
    await this.maintain();
    const next = Math.floor(Date.now() / DAY_MS) + 1;
    await this.schedule(next, new Date(next * DAY_MS));
  }

  private days(table: PartitionedTable): number {
    return Number(this.config.env[RETENTION_ENV[table]]) || 0;
  }

  /** One pass over every partitioned table; answers what it did (and logs it). */
  async maintain(now = new Date(), batch = DEFAULT_PARTITION_BATCH): Promise<MaintenanceReport> {
    const report: MaintenanceReport = { created: [], moved: [], dropped: [], deleted: {} };
    for (const table of PARTITIONED_TABLES) {
      await this.createAhead(table, now, report);
      await this.applyRetention(table, now, batch, report);
    }
    if (report.created.length) this.log.log(`created partitions ${report.created.join(', ')}`);
    if (report.moved.length)
      this.log.warn(
        `moved rows of ${report.moved.join(', ')} out of the default partition (written before their month's partition existed)`,
      );
    if (report.dropped.length)
      this.log.log(`dropped expired partitions ${report.dropped.join(', ')}`);
    for (const [table, n] of Object.entries(report.deleted))
      if (n) this.log.log(`deleted ${n} expired row(s) from ${table}'s default partition`);
    return report;
  }

  private async createAhead(table: PartitionedTable, now: Date, report: MaintenanceReport) {
    for (const p of monthsAhead(table, now, MONTHS_AHEAD)) {
      const done = await this.repo.create(p);
      if (done !== 'exists') report.created.push(p.name);
      if (done === 'moved') report.moved.push(p.name);
    }
  }

  private async applyRetention(
    table: PartitionedTable,
    now: Date,
    batch: number,
    report: MaintenanceReport,
  ) {
    const cutoff = retentionCutoff(now, this.days(table));
    if (!cutoff) return;
    const months = (await this.repo.partitionNames(table))
      .map((name) => parsePartition(table, name))
      .filter((p): p is MonthPartition => p !== null);
    for (const p of expiredPartitions(months, cutoff)) {
      await this.repo.drop(p);
      report.dropped.push(p.name);
    }
    let total = 0;
    for (;;) {
      const n = await this.repo.deleteExpiredDefault(table, cutoff, batch);
      total += n;
      if (n < batch) break;
    }
    report.deleted[table] = total;
  }
}
