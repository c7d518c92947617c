/** A command the palette can run. `keywords` (English) match in every language. */
export interface PaletteCommand {
  id: string;
  label: string;
  group: string;
  keywords?: string;
  run: () => void;
}

/**
 * How well `query` matches `text` as a subsequence (case-insensitive), or null when it does not:
 * consecutive characters and a match at the start or after a space score higher.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!q) return 0;
  const s = text.toLowerCase();
  let score = 0;
  let from = 0;
  let prev = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    const at = s.indexOf(ch, from);
    if (at < 0) return null;
    score += 1;
    if (at === prev + 1) score += 3;
    if (at === 0 || s[at - 1] === ' ' || s[at - 1] === ':') score += 2;
    score -= Math.min(at - from, 10) * 0.1;
    prev = at;
    from = at + 1;
  }
  return score;
}

/** The commands matching the query, best first (ties keep their order); all of them when empty. */
export function filterCommands<C extends Omit<PaletteCommand, 'run'>>(
  commands: readonly C[],
  query: string,
  limit = 50,
): C[] {
  const scored: Array<{ c: C; score: number; i: number }> = [];
  commands.forEach((c, i) => {
    const label = fuzzyScore(query, c.label);
    const other = fuzzyScore(query, `${c.group} ${c.keywords ?? ''}`);
    const best = Math.max(label === null ? -Infinity : label + 1, other ?? -Infinity);
    if (best > -Infinity) scored.push({ c, score: best, i });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, limit).map((x) => x.c);
}
