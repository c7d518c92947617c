import { abResult, twoProportionZTest, twoSidedP } from '../../../src/analytics/significance';

describe('twoProportionZTest', () => {
  // Reference values: pooled two-proportion z-test, two-sided p = erfc(|z| / sqrt 2).
  it.each([
    [200, 1000, 250, 1000, -2.677398, 0.00741965],
    [50, 1000, 50, 1000, 0, 1],
    [30, 400, 45, 410, -1.706165, 0.0879773],
    [120, 1000, 100, 1000, 1.429301, 0.1529178],
    [10, 20, 0, 20, 3.651484, 0.00026073],
    [1, 10, 2, 10, -0.626224, 0.5311678],
    [520, 10000, 600, 10000, -2.460339, 0.0138806],
  ])('%i/%i vs %i/%i -> z %d, p %d', (x1, n1, x2, n2, z, p) => {
    const t = twoProportionZTest({ successes: x1, trials: n1 }, { successes: x2, trials: n2 })!;
    expect(t.z).toBeCloseTo(z, 5);
    expect(Math.abs(t.pValue - p)).toBeLessThan(Math.max(2e-7, p * 1e-5));
  });

  it.each([
    ['both 0 %', 0, 100, 0, 50],
    ['both 100 %', 100, 100, 50, 50],
  ])('answers z 0, p 1 when %s', (_, x1, n1, x2, n2) => {
    expect(
      twoProportionZTest({ successes: x1, trials: n1 }, { successes: x2, trials: n2 }),
    ).toEqual({ z: 0, pValue: 1 });
  });

  it.each([
    ['no trials', 0, 0, 5, 10],
    ['more successes than trials', 11, 10, 5, 10],
    ['negative successes', -1, 10, 5, 10],
    ['fractional counts', 1.5, 10, 5, 10],
  ])('has no answer with %s', (_, x1, n1, x2, n2) => {
    expect(twoProportionZTest({ successes: x1, trials: n1 }, { successes: x2, trials: n2 })).toBe(
      null,
    );
  });

  it('is symmetric and its p-value is that of the normal distribution', () => {
    const a = { successes: 30, trials: 400 };
    const b = { successes: 45, trials: 410 };
    expect(twoProportionZTest(a, b)!.z).toBeCloseTo(-twoProportionZTest(b, a)!.z, 12);
    expect(twoSidedP(1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(2.575829)).toBeCloseTo(0.01, 6);
    expect(twoSidedP(0)).toBe(1);
  });
});

describe('abResult', () => {
  it('names the leader the winner only when the difference is significant', () => {
    const clear = abResult(
      [
        { variant: 'A', sent: 1000, successes: 200 },
        { variant: 'B', sent: 1000, successes: 250 },
      ],
      'click',
    );
    expect(clear.comparison).toEqual({
      leader: 'B',
      runnerUp: 'A',
      z: 2.6774,
      pValue: 0.00742,
      enough: true,
      significant: true,
    });
    expect(clear.winner).toBe('B');
    expect(clear.variants).toEqual([
      { variant: 'A', sent: 1000, successes: 200, rate: 0.2 },
      { variant: 'B', sent: 1000, successes: 250, rate: 0.25 },
    ]);

    const close = abResult(
      [
        { variant: 'A', sent: 400, successes: 30 },
        { variant: 'B', sent: 410, successes: 45 },
      ],
      'conversion',
    );
    expect(close.comparison).toEqual(
      expect.objectContaining({ leader: 'B', runnerUp: 'A', significant: false }),
    );
    expect(close.winner).toBeNull();
  });

  it('calls no winner on samples too small for the test, however small p is', () => {
    const tiny = abResult(
      [
        { variant: 'A', sent: 3, successes: 3 },
        { variant: 'B', sent: 3, successes: 0 },
      ],
      'reply',
    );
    expect(tiny.comparison).toEqual(
      expect.objectContaining({ leader: 'A', enough: false, significant: false }),
    );
    expect(tiny.comparison!.pValue).toBeLessThan(0.05);
    expect(tiny.winner).toBeNull();
  });

  it('compares the two best of three variants', () => {
    const r = abResult(
      [
        { variant: 'A', sent: 1000, successes: 100 },
        { variant: 'B', sent: 1000, successes: 50 },
        { variant: 'C', sent: 1000, successes: 120 },
      ],
      'open',
    );
    expect(r.comparison).toEqual(expect.objectContaining({ leader: 'C', runnerUp: 'A' }));
    expect(r.winner).toBeNull();
  });

  it('has no comparison without two variants that sent something', () => {
    expect(abResult([{ variant: 'A', sent: 10, successes: 5 }], 'click')).toEqual(
      expect.objectContaining({ comparison: null, winner: null }),
    );
    expect(
      abResult(
        [
          { variant: 'A', sent: 10, successes: 5 },
          { variant: 'B', sent: 0, successes: 0 },
        ],
        'click',
      ),
    ).toEqual(expect.objectContaining({ comparison: null, winner: null }));
  });
});
