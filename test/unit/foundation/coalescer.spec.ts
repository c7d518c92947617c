import { Coalescer } from '../../../src/common/coalescer';

/** A statement stand-in: records each batch and answers when released. */
function recorder<O>(answer: (items: number[]) => O[] | Promise<O[]>) {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((r) => gates.push(r));
    return answer(items);
  };
  const release = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()!();
  };
  return { batches, run, release };
}

describe(Coalescer.name, () => {
  it('sends calls of one tick together, and calls made while a batch is in flight as the next', async () => {
    const r = recorder((items) => items.map((i) => i * 10));
    const c = new Coalescer(r.run);
    const first = [c.submit(1), c.submit(2)];
    await r.release();
    expect(await Promise.all(first)).toEqual([10, 20]);

    const a = c.submit(3);
    await new Promise((res) => setImmediate(res));
    const later = [c.submit(4), c.submit(5), c.submit(6)];
    await r.release();
    await r.release();
    expect(await Promise.all([a, ...later])).toEqual([30, 40, 50, 60]);
    expect(r.batches).toEqual([[1, 2], [3], [4, 5, 6]]);
  });

  it('keeps batches within maxBatch and runs up to maxInFlight at once', async () => {
    const r = recorder((items) => items);
    const c = new Coalescer(r.run, { maxBatch: 2, maxInFlight: 2 });
    const all = Promise.all([1, 2, 3, 4, 5].map((i) => c.submit(i)));
    await new Promise((res) => setImmediate(res));
    expect(r.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    for (let i = 0; i < 3; i++) await r.release();
    expect(await all).toEqual([1, 2, 3, 4, 5]);
    expect(r.batches[2]).toEqual([5]);
  });

  it('runs a batch PostgreSQL refused again item by item, so each caller gets its own outcome', async () => {
    const seen: number[][] = [];
    const c = new Coalescer(async (items: number[]) => {
      seen.push(items);
      if (items.includes(2))
        throw Object.assign(new Error(`bad item among ${items.join(',')}`), { code: '23505' });
      return items.map((i) => i + 100);
    });
    const results = await Promise.allSettled([c.submit(1), c.submit(2), c.submit(3)]);
    expect(results.map((x) => (x.status === 'fulfilled' ? x.value : x.reason.message))).toEqual([
      101,
      'bad item among 2',
      103,
    ]);
    expect(seen).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('never runs again a batch whose outcome is unknown (a lost connection)', async () => {
    let runs = 0;
    const c = new Coalescer(async (): Promise<number[]> => {
      runs++;
      throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    });
    const results = await Promise.allSettled([c.submit(1), c.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(1);
  });

  it('lets background work gather for delayMs before it leaves', async () => {
    jest.useFakeTimers();
    try {
      const batches: number[][] = [];
      const c = new Coalescer(
        async (items: number[]) => {
          batches.push(items);
          return items;
        },
        { delayMs: 50 },
      );
      const first = c.submit(1);
      await jest.advanceTimersByTimeAsync(30);
      expect(batches).toEqual([]);
      const second = c.submit(2);
      await jest.advanceTimersByTimeAsync(20);
      expect(await Promise.all([first, second])).toEqual([1, 2]);
      expect(batches).toEqual([[1, 2]]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects every caller when the answer does not have one result per item', async () => {
    const c = new Coalescer(async (items: number[]) => items.slice(1));
    await expect(c.submit(1)).rejects.toThrow(/answered 0 of 1 items/);
  });
});
