import { monthPartition, type PartitionedTable } from '../../src/partitions/partition-months';

/**
 * The monthly partitions of `table` from the month of `from` to the current one, as the hub's
 * maintenance job makes them ahead of time: a seed's back-dated rows land in their months, not in
 * the default partition the hub never fills in production.
 */
export async function ensureMonthPartitions(
  db: { query(sql: string): Promise<unknown> },
  table: PartitionedTable,
  from: Date,
): Promise<void> {
  for (let m = from.getUTCMonth(); ; m++) {
    const p = monthPartition(table, from.getUTCFullYear(), m);
    if (p.from.getTime() > Date.now()) return;
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${p.name} PARTITION OF ${table}
         FOR VALUES FROM ('${p.from.toISOString()}') TO ('${p.to.toISOString()}')`,
    );
  }
}
