import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The statements of the finished-job purge. */
@Injectable()
export class JobRetentionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Deletes at most `limit` finished job rows (done or failed) last touched before `before`;
   * answers how many went. A short statement per batch: queue writers are never held long.
   */
  async deleteFinishedBefore(before: Date, limit: number): Promise<number> {
    const res = (await this.db.query(
      `DELETE FROM outbox_jobs WHERE id IN (
         SELECT id FROM outbox_jobs WHERE status IN ('done', 'failed') AND updated_at < $1 LIMIT $2)`,
      [before, limit],
    )) as [unknown, number];
    return res[1] ?? 0;
  }
}
