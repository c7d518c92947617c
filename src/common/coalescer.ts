/**
 * Turns concurrent calls of one statement shape into one round trip. Calls made in the same
 * tick, or while the previous batch is still in flight, leave together as the next batch; a
 * lone call at low load goes at once, so nothing waits on a timer.
 *
 * `run` gets the items and answers one result per item, in order. A batch of several items
 * that PostgreSQL refused (an error it raised for the statement, so nothing of it was applied)
 * is run again item by item, and each caller gets its own item's outcome rather than a
 * neighbour's error. Any other failure (a lost connection: the statement may have committed)
 * is every caller's, as it would be without the batch.
 */
export class Coalescer<I, O> {
  private waiting: Array<Pending<I, O>> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: {
      maxBatch?: number;
      maxInFlight?: number;
      /** Work nobody waits on (a background update) may gather this long before it leaves. */
      delayMs?: number;
    } = {},
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        const go = () => {
          this.scheduled = false;
          this.pump();
        };
        if (this.opts.delayMs === undefined) queueMicrotask(go);
        else setTimeout(go, this.opts.delayMs);
      }
    });
  }

  private pump(): void {
    const maxBatch = this.opts.maxBatch ?? 500;
    const maxInFlight = this.opts.maxInFlight ?? 1;
    while (this.inFlight < maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, maxBatch);
      this.inFlight++;
      void this.execute(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async execute(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      settle(batch, await this.run(batch.map((p) => p.item)));
    } catch (err) {
      if (batch.length === 1 || !refusedStatement(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      await Promise.all(
        batch.map((p) =>
          this.run([p.item]).then(
            (out) => settle([p], out),
            (e: unknown) => p.reject(e),
          ),
        ),
      );
    }
  }
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

function settle<I, O>(batch: Array<Pending<I, O>>, results: O[]): void {
  if (results.length !== batch.length) {
    const err = new Error(`coalesced batch answered ${results.length} of ${batch.length} items`);
    for (const p of batch) p.reject(err);
    return;
  }
  batch.forEach((p, i) => p.resolve(results[i]));
}

/**
 * An error PostgreSQL raised for the statement itself (a SQLSTATE outside the connection,
 * operator and system classes): the statement was rolled back.
 */
function refusedStatement(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58|XX)/.test(code);
}
