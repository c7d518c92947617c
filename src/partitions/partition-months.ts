/**
 * Which monthly partitions the hub wants: pure decisions over names and dates. A partition of
 * table T for the month M (UTC) is named T_yYYYYmMM and holds [M's first instant, the next
 * month's); T_default holds whatever no month does.
 */
export const PARTITIONED_TABLES = [
  'messages',
  'delivery_attempts',
  'tracking_events',
  'finished_jobs',
] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** The column each table is partitioned on. */
export const PARTITION_KEY: Record<PartitionedTable, string> = {
  messages: 'created_at',
  delivery_attempts: 'created_at',
  tracking_events: 'created_at',
  finished_jobs: 'finished_at',
};

export interface MonthPartition {
  table: PartitionedTable;
  name: string;
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The partition of `table` for the month starting `year`/`month0` (months past 11 roll over). */
export function monthPartition(
  table: PartitionedTable,
  year: number,
  month0: number,
): MonthPartition {
  const from = new Date(Date.UTC(year, month0, 1));
  const to = new Date(Date.UTC(year, month0 + 1, 1));
  return {
    table,
    name: `${table}_y${from.getUTCFullYear()}m${pad(from.getUTCMonth() + 1)}`,
    from,
    to,
  };
}

export const defaultPartition = (table: PartitionedTable) => `${table}_default`;

/** The partitions for the month of `now` and the `ahead` months after it. */
export function monthsAhead(table: PartitionedTable, now: Date, ahead: number): MonthPartition[] {
  return Array.from({ length: ahead + 1 }, (_, i) =>
    monthPartition(table, now.getUTCFullYear(), now.getUTCMonth() + i),
  );
}

/** The month a partition's name stands for; null for any other table of the parent (the default). */
export function parsePartition(table: PartitionedTable, name: string): MonthPartition | null {
  const m = new RegExp(`^${table}_y(\\d{4})m(\\d{2})$`).exec(name);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return monthPartition(table, Number(m[1]), month - 1);
}

/** Rows older than this go under a retention of `days` (0: none go). */
export const retentionCutoff = (now: Date, days: number): Date | null =>
  days > 0 ? new Date(now.getTime() - days * DAY_MS) : null;

/** The monthly partitions whose whole range is older than the cutoff, oldest first. */
export function expiredPartitions(
  partitions: MonthPartition[],
  cutoff: Date | null,
): MonthPartition[] {
  if (!cutoff) return [];
  return partitions
    .filter((p) => p.to.getTime() <= cutoff.getTime())
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}
