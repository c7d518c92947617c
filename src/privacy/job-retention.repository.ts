import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The statements of the finished-job move out of the live queue. */
@Injectable()
export class JobRetentionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Moves at most `limit` finished job rows (done or failed) last touched before `before` out of
   * the live queue into finished_jobs (partitioned by month of finishing, kept per
   * RETENTION_FINISHED_JOBS_DAYS); answers how many moved. A short statement per batch: queue
   * writers are never held long.
   */
  async moveFinishedBefore(before: Date, limit: number): Promise<number> {
    const [row] = (await this.db.query(
      `WITH gone AS (
         DELETE FROM outbox_jobs WHERE id IN (
           SELECT id FROM outbox_jobs WHERE status IN ('done', 'failed') AND updated_at < $1 LIMIT $2)
         RETURNING *),
       kept AS (
         INSERT INTO finished_jobs (id, queue, name, payload, dedupe_key, status, run_at, attempts,
                                    max_attempts, last_error, created_at, finished_at)
         SELECT id, queue, name, payload, dedupe_key, status, run_at, attempts, max_attempts,
                last_error, created_at, updated_at FROM gone
         RETURNING 1)
       SELECT count(*)::int AS n FROM kept`,
      [before, limit],
    )) as Array<{ n: number }>;
    return row.n;
  }
}
