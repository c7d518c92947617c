/** The preference matrix lookup: the most specific matching row wins. */
import type { Urgency } from '../../common/names';
import type { PreferenceRow } from './routing-types';

/**
 * exact topic + exact urgency > exact topic + '*' > '*' + exact urgency > '*' + '*'.
 * Among equally specific rows the first listed wins. null when no row matches.
 */
export function matchPreferenceRow(
  rows: readonly PreferenceRow[],
  topic: string,
  urgency: Urgency,
): PreferenceRow | null {
  let best: PreferenceRow | null = null;
  let bestScore = -1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let score: number;
    if (row.topic === topic) score = 2;
    else if (row.topic === '*') score = 0;
    else continue;
    if (row.urgency === urgency) score += 1;
    else if (row.urgency !== '*') continue;
    if (score > bestScore) {
      best = row;
      bestScore = score;
      if (score === 3) break;
    }
  }
  return best;
}
