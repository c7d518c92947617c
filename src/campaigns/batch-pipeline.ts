import type { EntityManager } from 'typeorm';
import type { RoutingPolicy } from '../routing/decision';
import type { BatchContextLoader, BatchCustomer } from './batch-context.loader';
import { writeBatch, type WrittenBatch } from './batch-writer';
import type { CampaignRow } from './campaign-types';
import type { RecipientPlanner } from './recipient-planner';

/** Customers read, planned and written per statement within a batch. */
export const PART = 1000;

export interface BatchRun extends WrittenBatch {
  customers: number;
  /** The last customer taken (the campaign's cursor unchanged when none was). */
  cursor: string | null;
  /** No customer of the segment follows this batch. */
  done: boolean;
}

/**
 * One batch of a campaign in the caller's transaction, in parts of PART customers so the
 * database and this process work at the same time: the next part is read, and this part
 * written, while this part is routed and rendered here. The connection runs its statements in
 * the order they are issued; every write is one statement that needs nothing from the others.
 */
export async function runBatchParts(
  m: EntityManager,
  c: CampaignRow,
  deps: { loader: BatchContextLoader; planner: RecipientPlanner },
  now: Date,
  policy: RoutingPolicy,
): Promise<BatchRun> {
  let remaining = c.batch_size;
  let cursor = c.cursor;
  let done = false;
  let customers = 0;
  // The last part asks for one more customer, to know whether another batch follows.
  const read = (after: string | null): Promise<BatchCustomer[]> =>
    deps.loader.next(c.segment, after, remaining <= PART ? remaining + 1 : PART, now, m);
  const writes: Array<Promise<WrittenBatch>> = [];
  let next: Promise<BatchCustomer[]> | null = read(cursor);
  try {
    while (next !== null) {
      const asked = remaining <= PART ? remaining + 1 : PART;
      const rows: BatchCustomer[] = await next;
      const part = rows.length > remaining ? rows.slice(0, remaining) : rows;
      remaining -= part.length;
      if (part.length > 0) cursor = part[part.length - 1].context.customerId;
      customers += part.length;
      done = rows.length < asked;
      next = !done && remaining > 0 ? read(cursor) : null;
      if (part.length > 0) writes.push(writeBatch(m, c, deps.planner.plan(c, part, now, policy)));
      // Lets the connection send what is queued (and read answers) before the next plan.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    // Every statement issued settles before the transaction ends, whatever happened.
    await Promise.allSettled(next ? [next, ...writes] : writes);
  }
  const out: BatchRun = { jobs: [], sent: 0, suppressed: 0, customers, cursor, done };
  for (const w of await Promise.all(writes)) {
    out.jobs.push(...w.jobs);
    out.sent += w.sent;
    out.suppressed += w.suppressed;
  }
  return out;
}
