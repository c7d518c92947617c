/** RFM tiers and the churn-risk flag. Pure; rfm.repository.ts applies the same rules in SQL. */
export type Tier = 'core' | 'potential' | 'regular' | 'edge';

/** r, f, m are quintile scores 1..5 (5 = most recent / most frequent / highest spend). */
export function tierOf(r: number, f: number, m: number): Tier {
  if (r >= 4 && (f >= 4 || m >= 4)) return 'core';
  if (r >= 3) return 'potential';
  if (f >= 3 || m >= 3) return 'regular';
  return 'edge';
}

/** Silent signal: a customer who wrote at least monthly on average and now writes at a quarter of that or less. */
export function churnRisk(contactsLast30Days: number, baselinePerMonth: number): boolean {
  return baselinePerMonth >= 1 && contactsLast30Days <= baselinePerMonth * 0.25;
}
