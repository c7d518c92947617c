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

/** A rating and what the customer wrote after it ("5 很快就解决了", "3, slow reply"). */
export interface CsatRating {
  score: number;
  comment: string | null;
}

/** A rating first, then a separator (space or punctuation), then the comment. */
const RATED_COMMENT = /^(\S+?)[\s,，.。:：;；!！、\-–—]+([\s\S]+)$/u;

/**
 * A rating reply with its comment: the whole text as a rating, else a rating followed by a
 * comment. Null when the text does not start with a rating.
 */
export function csatRating(text: string): CsatRating | null {
  const whole = csatScore(text);
  if (whole !== null) return { score: whole, comment: null };
  const m = RATED_COMMENT.exec(text.trim());
  if (!m) return null;
  const score = csatScore(m[1]);
  const comment = m[2].trim();
  return score === null || !comment ? null : { score, comment: comment.slice(0, 2000) };
}
