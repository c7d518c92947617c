/**
 * How many outbox rows the hub's BullMQ jobs carried during a phase, read from outside the
 * hub: BullMQ counts every job added to a queue (single or batch) in `{prefix}:<queue>:id`,
 * and every row the hub dispatched is an outbox_jobs row of that queue.
 */
import type Redis from 'ioredis';
import type { Client } from 'pg';
import { ALL_QUEUES } from '../../src/queue/queue-names';
import { redisKeyPrefix } from '../../src/queue/redis-options';

export interface QueueCounts {
  jobs: Map<string, number>;
  rows: Map<string, number>;
}

export interface Batching {
  /** Per queue that got jobs in the phase: jobs added and rows they carried. */
  queues: Array<{ queue: string; jobs: number; rows: number }>;
  jobs: number;
  rows: number;
}

export async function queueCounts(redis: Redis, pg: Client, prefix: string): Promise<QueueCounts> {
  const ids = await redis.mget(ALL_QUEUES.map((q) => `${redisKeyPrefix(prefix)}:${q.name}:id`));
  const jobs = new Map(ALL_QUEUES.map((q, i) => [q.name, Number(ids[i] ?? 0)]));
  const res = await pg.query<{ queue: string; n: number }>(
    `SELECT queue, count(*)::int AS n FROM outbox_jobs GROUP BY queue`,
  );
  const rows = new Map(res.rows.map((r) => [r.queue, r.n]));
  return { jobs, rows };
}

export function batchingBetween(before: QueueCounts, after: QueueCounts): Batching {
  const queues = ALL_QUEUES.map((q) => ({
    queue: q.name,
    jobs: (after.jobs.get(q.name) ?? 0) - (before.jobs.get(q.name) ?? 0),
    rows: (after.rows.get(q.name) ?? 0) - (before.rows.get(q.name) ?? 0),
  })).filter((q) => q.jobs > 0 || q.rows > 0);
  return {
    queues,
    jobs: queues.reduce((s, q) => s + q.jobs, 0),
    rows: queues.reduce((s, q) => s + q.rows, 0),
  };
}

/**
 * Deletes every Redis key under the prefix: the hub's (`{prefix}:*`) and the raw and floor
 * queues' the bench makes itself (`prefix:*`).
 */
export async function dropPrefix(redis: Redis, prefix: string): Promise<number> {
  let dropped = 0;
  for (const pattern of [`${redisKeyPrefix(prefix)}:*`, `${prefix}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) dropped += await redis.del(...keys);
    } while (cursor !== '0');
  }
  return dropped;
}
