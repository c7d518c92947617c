import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  PARTITION_KEY,
  defaultPartition,
  type MonthPartition,
  type PartitionedTable,
} from './partition-months';

/** One lock for every partition change: two workers maintaining at once take turns. */
const MAINTENANCE_LOCK = `SELECT pg_advisory_xact_lock(hashtext('hub.partition-maintenance'))`;
/**
 * Creating or dropping a partition locks its parent: give up rather than queue every reader
 * behind a long transaction (the next daily run tries again; months are made well ahead).
 */
const LOCK_TIMEOUT = `SET LOCAL lock_timeout = '5s'`;

const SQLSTATE_CHECK_VIOLATION = '23514';

/** Statements of partition maintenance: the tables' monthly partitions, made and dropped. */
@Injectable()
export class PartitionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The names of `table`'s partitions. */
  async partitionNames(table: PartitionedTable): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
      [table],
    )) as Array<{ name: string }>;
    return rows.map((r) => r.name);
  }

  /**
   * Creates the partition unless it exists; answers whether it was created. 'blocked' when rows
   * of its month already sit in the default partition (written while no partition covered it):
   * PostgreSQL refuses the partition then, and those rows stay where they are.
   */
  async create(p: MonthPartition): Promise<'created' | 'exists' | 'blocked'> {
    return this.locked(async (tx) => {
      const exists = (await tx.query(`SELECT to_regclass($1) IS NOT NULL AS yes`, [
        p.name,
      ])) as Array<{
        yes: boolean;
      }>;
      if (exists[0].yes) return 'exists';
      try {
        await tx.query(`SAVEPOINT create_partition`);
        await tx.query(
          `CREATE TABLE ${p.name} PARTITION OF ${p.table}
             FOR VALUES FROM ('${p.from.toISOString()}') TO ('${p.to.toISOString()}')`,
        );
        return 'created';
      } catch (e) {
        if ((e as { code?: string }).code !== SQLSTATE_CHECK_VIOLATION) throw e;
        await tx.query(`ROLLBACK TO SAVEPOINT create_partition`);
        return 'blocked';
      }
    });
  }

  /**
   * Drops a monthly partition with its rows. A messages partition first does for its rows what
   * deleting them would (the messages_forget trigger: DROP fires no row or statement triggers):
   * attachments and delivery attempts deleted, references nulled, dedupe keys freed.
   */
  async drop(p: MonthPartition): Promise<void> {
    await this.locked(async (tx) => {
      if (p.table === 'messages') {
        const m = p.name;
        await tx.query(`DELETE FROM attachments a USING ${m} m WHERE a.message_id = m.id`);
        await tx.query(`DELETE FROM delivery_attempts d USING ${m} m WHERE d.message_id = m.id`);
        for (const t of ['csat_responses', 'digests', 'notifications'])
          await tx.query(
            `UPDATE ${t} x SET message_id = NULL FROM ${m} m WHERE x.message_id = m.id`,
          );
        await tx.query(`DELETE FROM message_keys k USING ${m} m WHERE k.message_id = m.id`);
      }
      await tx.query(`DROP TABLE ${p.name}`);
    });
  }

  /**
   * Deletes at most `limit` rows older than `before` from the table's default partition, through
   * the parent (so messages' delete trigger runs); answers how many went.
   */
  async deleteExpiredDefault(
    table: PartitionedTable,
    before: Date,
    limit: number,
  ): Promise<number> {
    const key = PARTITION_KEY[table];
    const res = (await this.db.query(
      `DELETE FROM ${table} WHERE ${key} < $1 AND (id, ${key}) IN (
         SELECT id, ${key} FROM ${defaultPartition(table)} WHERE ${key} < $1 LIMIT $2)`,
      [before, limit],
    )) as [unknown, number];
    return res[1] ?? 0;
  }

  private locked<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query(MAINTENANCE_LOCK);
      await tx.query(LOCK_TIMEOUT);
      return work(tx);
    });
  }
}
