import pLimit from 'p-limit';
import type { QueryRunner } from 'typeorm';
import type { Tx } from '../database/transactions';
import { digestLookbackMinutes, type RoutingPolicy } from '../routing/decision';
import type { BatchContextLoader, BatchCustomer } from './batch-context.loader';
import type { CampaignRecipientsRepository, WrittenBatch } from './campaign-recipients.repository';
import type { CampaignRow } from './campaign-types';
import type { RecipientPlanner } from './recipient-planner';

/** A batch is read, planned and written in about this many parts (each one statement)... */
const PARTS = 5;
/** ...of at least MIN_PART and at most MAX_PART customers. */
const MIN_PART = 50;
const MAX_PART = 1000;

export function partSize(batchSize: number): number {
  return Math.min(MAX_PART, Math.max(MIN_PART, Math.ceil(batchSize / PARTS)));
}

/**
 * What a batch reads beyond the routing facts: a low-urgency campaign may gather sends into
 * digests, so the same read takes the digest facts. Shared by the fan-out and the dry run.
 */
export function batchReadOptions(c: Pick<CampaignRow, 'urgency'>, policy: RoutingPolicy) {
  return c.urgency === 'low' && policy.digestWindowMinutes > 0
    ? { digestLookbackMinutes: digestLookbackMinutes(policy) }
    : {};
}

export interface BatchRun extends WrittenBatch {
  customers: number;
  /** The last customer taken (the campaign's cursor unchanged when none was). */
  cursor: string | null;
  /** No customer of the segment follows this batch. */
  done: boolean;
}

export interface BatchDeps {
  recipients: CampaignRecipientsRepository;
  /**
   * Whether parts may be written on side transactions: not on the embedded database, whose
   * one session serves a transaction's connection alone until it ends.
   */
  sideTransactions: boolean;
  loader: BatchContextLoader;
  planner: RecipientPlanner;
}

/** Transactions besides the caller's that write parts of a batch, in turn. */
const SIDES = 2;

/**
 * One batch of a campaign, in parts, so that this process and several database connections
 * work at the same time: while a part is routed and rendered here, the next part is read on the
 * caller's transaction and the previous parts are written, in turn on side transactions (on the
 * caller's when there are none), so a read never queues behind a write. Each write is one
 * statement that needs nothing from the others.
 *
 * When every part is written, `finish` runs on the caller's transaction (the cursor and the
 * counters), then the side transactions commit, then the caller's. Between those commits only
 * a crash can intervene: the batch then runs again and finds those recipients written
 * (UNIQUE (campaign_id, customer_id): nothing is sent twice, nobody is skipped; they are just
 * not counted again in the campaign's progress counters). The caller must hold the campaign row
 * FOR NO KEY UPDATE, not FOR UPDATE: the side transactions' recipients check their campaign key.
 */
export async function runBatchParts<T>(
  m: Tx,
  c: CampaignRow,
  deps: BatchDeps,
  now: Date,
  policy: RoutingPolicy,
  finish: (run: BatchRun) => Promise<T>,
): Promise<T> {
  const size = partSize(c.batch_size);
  let remaining = c.batch_size;
  let cursor = c.cursor;
  let done = false;
  let customers = 0;
  // The last part asks for one more customer, to know whether another batch follows.
  const asked = () => (remaining <= size ? remaining + 1 : size);
  // A connection takes one statement at a time: each runs once the one before has settled
  // (node-postgres queues the rest itself only until pg 9).
  const own = pLimit(1);
  const options = batchReadOptions(c, policy);
  const read = (after: string | null): Promise<BatchCustomer[]> => {
    const limit = asked();
    return own(() => deps.loader.next(c.segment, after, limit, now, m, options));
  };
  const scope = deps.planner.scope(c);
  const writes: Array<Promise<WrittenBatch>> = [];
  // Everything issued, each with a handler from the start: one that fails while this is still
  // planning is not an unhandled rejection; it is awaited (and thrown) in its turn.
  const pending: Array<Promise<unknown>> = [];
  const track = <P>(p: Promise<P>): Promise<P> => {
    p.catch(() => undefined);
    pending.push(p);
    return p;
  };
  let next: Promise<BatchCustomer[]> | null = track(read(cursor));
  const sides =
    deps.sideTransactions && c.batch_size > size
      ? Array.from({ length: Math.min(SIDES, Math.ceil(c.batch_size / size)) }, () => ({
          qr: track(deps.recipients.openSide()),
          turn: pLimit(1),
        }))
      : [];
  try {
    while (next !== null) {
      const wanted = asked();
      const rows: BatchCustomer[] = await next;
      const part = rows.length > remaining ? rows.slice(0, remaining) : rows;
      remaining -= part.length;
      if (part.length > 0) cursor = part[part.length - 1].context.customerId;
      customers += part.length;
      done = rows.length < wanted;
      next = !done && remaining > 0 ? track(read(cursor)) : null;
      if (part.length > 0) {
        const plan = deps.planner.plan(c, part, now, policy, scope);
        const side = sides.length > 0 ? sides[writes.length % sides.length] : null;
        writes.push(
          track(
            side
              ? side.turn(async () => deps.recipients.writeBatch((await side.qr).manager, c, plan))
              : own(() => deps.recipients.writeBatch(m, c, plan)),
          ),
        );
      }
      // Lets the connections send what is queued (and read answers) before the next plan.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const out: BatchRun = {
      jobs: [],
      sent: 0,
      digested: 0,
      suppressed: 0,
      heldUntil: null,
      customers,
      cursor,
      done,
    };
    for (const w of await Promise.all(writes)) {
      out.jobs.push(...w.jobs);
      out.sent += w.sent;
      out.digested += w.digested;
      out.suppressed += w.suppressed;
      if (w.heldUntil && (!out.heldUntil || w.heldUntil > out.heldUntil))
        out.heldUntil = w.heldUntil;
    }
    const result = await finish(out);
    for (const side of sides) await (await side.qr).commitTransaction();
    return result;
  } finally {
    // Every statement issued settles before either transaction ends, whatever happened.
    await Promise.allSettled(pending);
    for (const side of sides) await closeSide(side.qr);
  }
}

async function closeSide(side: Promise<QueryRunner>): Promise<void> {
  const qr = await side.catch(() => null);
  if (!qr) return;
  try {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
  } finally {
    await qr.release();
  }
}
