import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { InjectReadDataSource, type ReadDataSource } from '../database/read-data-source';

/** What the read replica says of itself. */
export interface ReplicaStatus {
  /** A streaming standby (pg_is_in_recovery), not a second primary. */
  standby: boolean;
  /** Since the last transaction it replayed (a standby only; grows while the primary is idle). */
  lagSeconds: number | null;
}

/** The database as /health sees it: one round trip through the pool (and one to the replica). */
@Injectable()
export class HealthRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectReadDataSource() private readonly read: ReadDataSource,
  ) {}

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  get replicaConfigured(): boolean {
    return this.read.state !== 'none';
  }

  /** The replica itself (no fallback to the primary); throws when it cannot be reached. */
  async replicaStatus(): Promise<ReplicaStatus> {
    const rows = await this.read.onReplica(
      (db) =>
        db.query(`SELECT pg_is_in_recovery() AS standby,
          EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS lag_seconds`) as Promise<
          Array<{ standby: boolean; lag_seconds: number | null }>
        >,
    );
    const lag = rows[0]?.lag_seconds;
    return {
      standby: Boolean(rows[0]?.standby),
      lagSeconds: lag == null ? null : Math.max(0, Math.round(lag * 1000) / 1000),
    };
  }
}
