/**
 * Turns concurrent calls of one statement shape into one round trip. Calls made in the same
 * tick, or while the previous batch is still in flight, leave together as the next batch; a
 * lone call at low load goes at once, so nothing waits on a timer.
 *
 * `run` gets the items and answers one result per item, in order. A failed batch of several
 * items is run again item by item: one statement is atomic, so nothing of the failed batch was
 * applied, and each caller gets its own item's outcome rather than a neighbour's error.
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
      if (batch.length === 1) {
        batch[0].reject(err);
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
