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

const partitionDdl = (p: MonthPartition) =>
  `CREATE TABLE ${p.name} PARTITION OF ${p.table}
     FOR VALUES FROM ('${p.from.toISOString()}') TO ('${p.to.toISOString()}')`;

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
   * Creates the partition unless it exists; answers whether it was created. Rows of its month
   * already in the default partition (written while no partition covered it) would make
   * PostgreSQL refuse it: they are moved into it, in the same transaction ('moved').
   */
  async create(p: MonthPartition): Promise<'created' | 'moved' | 'exists'> {
    return this.locked(async (tx) => {
      const [{ yes }] = (await tx.query(`SELECT to_regclass($1) IS NOT NULL AS yes`, [
        p.name,
      ])) as Array<{ yes: boolean }>;
      if (yes) return 'exists';
      const key = PARTITION_KEY[p.table];
      const bounds = [p.from, p.to];
      const stray = (await tx.query(
        `SELECT EXISTS (SELECT 1 FROM ${defaultPartition(p.table)} WHERE ${key} >= $1 AND ${key} < $2) AS yes`,
        bounds,
      )) as Array<{ yes: boolean }>;
      if (stray[0].yes) await this.moveOutOfDefault(tx, p, key, bounds);
      else await tx.query(partitionDdl(p));
      return stray[0].yes ? 'moved' : 'created';
    });
  }

  /**
   * The month's rows leave the default partition (deleted from it directly: the parent's
   * statement trigger, messages_forget, does not run), the partition is created, and the rows
   * go back in through the parent (their dedupe keys are their own: the insert trigger lets them).
   */
  private async moveOutOfDefault(
    tx: EntityManager,
    p: MonthPartition,
    key: string,
    bounds: Date[],
  ) {
    const columns = (
      (await tx.query(
        `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS list FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`,
        [p.table],
      )) as Array<{ list: string }>
    )[0].list;
    const from = defaultPartition(p.table);
    await tx.query(
      `CREATE TEMP TABLE partition_move ON COMMIT DROP AS
         SELECT ${columns} FROM ${from} WHERE ${key} >= $1 AND ${key} < $2`,
      bounds,
    );
    await tx.query(`DELETE FROM ${from} WHERE ${key} >= $1 AND ${key} < $2`, bounds);
    await tx.query(partitionDdl(p));
    await tx.query(
      `INSERT INTO ${p.table} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM partition_move`,
    );
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
