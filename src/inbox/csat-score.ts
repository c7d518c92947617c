/** A customer's rating reply -> 1..5, or null when the text is not a rating. */
const WORDS: Record<string, number> = {
  非常满意: 5,
  满意: 5,
  很满意: 5,
  一般: 3,
  不满意: 1,
  很不满意: 1,
  非常不满意: 1,
};
const EMOJI: Array<[RegExp, number]> = [
  [/^(😍|🤩|😀|😃|😄|😁|👍|❤️?|⭐{5})$/u, 5],
  [/^(🙂|😊|⭐{4})$/u, 4],
  [/^(😐|😶|⭐{3})$/u, 3],
  [/^(🙁|😕|😞|⭐{2})$/u, 2],
  [/^(😡|😠|😭|👎|⭐)$/u, 1],
];

export function csatScore(text: string): number | null {
  const t = text.trim().replace(/[。.!！~～\s]+$/u, '');
  if (/^[1-5]$/.test(t)) return Number(t);
  if (t in WORDS) return WORDS[t];
  for (const [re, score] of EMOJI) if (re.test(t)) return score;
  return null;
}
