/** A/B significance: the two-proportion z-test. Pure. */

export interface Proportion {
  successes: number;
  trials: number;
}

export interface ZTest {
  /** (p1 - p2) / pooled standard error; 0 when both rates are 0 % or both 100 %. */
  z: number;
  /** Two-sided. */
  pValue: number;
}

/**
 * erfc(x) for x >= 0 (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7
 * everywhere).
 */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(poly);
}

/** The two-sided p-value of a standard normal statistic: P(|Z| >= |z|). */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * The two-proportion z-test with the pooled proportion: is a's rate different from b's? Null
 * when either group has no trials (nothing to compare), or a count is not a whole number
 * between 0 and its trials.
 */
export function twoProportionZTest(a: Proportion, b: Proportion): ZTest | null {
  for (const g of [a, b]) {
    if (!Number.isInteger(g.trials) || !Number.isInteger(g.successes)) return null;
    if (g.trials <= 0 || g.successes < 0 || g.successes > g.trials) return null;
  }
  const p1 = a.successes / a.trials;
  const p2 = b.successes / b.trials;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (p1 - p2) / se;
  return { z, pValue: twoSidedP(z) };
}

/** The A/B metrics: each a share of the sent messages of a variant. */
export const AB_METRICS = ['open', 'click', 'reply', 'conversion'] as const;
export type AbMetric = (typeof AB_METRICS)[number];

export interface VariantOutcome {
  variant: string;
  /** Sent messages of the variant (the trials). */
  sent: number;
  /** Recipients who did the metric's thing (the successes). */
  successes: number;
}

const round = (v: number, places: number) => {
  const f = 10 ** places;
  return Math.round(v * f) / f;
};

/**
 * Whether the z-test's normal approximation holds for two groups: at the pooled rate each expects
 * at least 5 successes and 5 failures. Below that a p-value says little (3 of 3 against 0 of 3
 * reads p = 0.014), so no winner is called.
 */
export function enoughForZTest(a: Proportion, b: Proportion): boolean {
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  return [a, b].every((g) => g.trials * pooled >= 5 && g.trials * (1 - pooled) >= 5);
}

/**
 * The A/B result on one metric: each variant's rate, and the leader (highest rate) against the
 * runner-up by the two-proportion z-test. The leader is the winner only when p < alpha and the
 * samples are large enough for the test (enoughForZTest); with fewer than two variants, or one
 * without a sent message, there is no comparison and no winner.
 */
export function abResult(variants: VariantOutcome[], metric: AbMetric, alpha = 0.05) {
  const rows = variants
    .map((v) => ({
      variant: v.variant,
      sent: v.sent,
      successes: v.successes,
      rate: v.sent > 0 ? round(v.successes / v.sent, 4) : 0,
    }))
    .sort((x, y) => x.variant.localeCompare(y.variant));
  const ranked = rows
    .filter((r) => r.sent > 0)
    .sort((x, y) => y.successes / y.sent - x.successes / x.sent);
  const [leader, runnerUp] = ranked;
  const test =
    leader && runnerUp && rows.length >= 2
      ? twoProportionZTest(
          { successes: leader.successes, trials: leader.sent },
          { successes: runnerUp.successes, trials: runnerUp.sent },
        )
      : null;
  const enough =
    leader !== undefined &&
    runnerUp !== undefined &&
    enoughForZTest(
      { successes: leader.successes, trials: leader.sent },
      { successes: runnerUp.successes, trials: runnerUp.sent },
    );
  const significant = test !== null && enough && test.pValue < alpha;
  return {
    metric,
    alpha,
    variants: rows,
    comparison:
      test && leader && runnerUp
        ? {
            leader: leader.variant,
            runnerUp: runnerUp.variant,
            z: round(test.z, 4),
            pValue: round(test.pValue, 6),
            enough,
            significant,
          }
        : null,
    winner: significant && leader ? leader.variant : null,
  };
}
export type AbResult = ReturnType<typeof abResult>;
