import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { translations } from '@zxcvbn-ts/language-en';

export const PASSWORD_MIN_CHARS = 10;
/** No silent truncation: argon2 reads every byte, and longer passwords are refused, not cut. */
export const PASSWORD_MAX_BYTES = 256;
/** zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses to 10^10). */
export const PASSWORD_MIN_SCORE = 3;

let zxcvbn: ZxcvbnFactory | null = null;
/** Built at first use (its dictionaries take a while to load), then kept. */
function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary,
    maxLength: 100,
  });
  return zxcvbn;
}

/**
 * Why a new password is refused, naming the reason, or null when it is acceptable: at least
 * 10 characters, at most 256 bytes, and not guessable (a common password, a keyboard walk, the
 * user's own e-mail or name with a digit added: zxcvbn's score below 3).
 */
export function passwordProblem(password: string, userInputs: string[] = []): string | null {
  const chars = [...password].length;
  if (chars < PASSWORD_MIN_CHARS)
    return `password: must be at least ${PASSWORD_MIN_CHARS} characters (it has ${chars})`;
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > PASSWORD_MAX_BYTES)
    return `password: must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (it has ${bytes}); a longer one is refused, never cut short`;
  const inputs = userInputs
    .flatMap((v) => [v, ...v.split(/[@.\s_-]+/)])
    .filter((v) => v.length > 2);
  const result = estimator().check(password, inputs);
  if (result.score >= PASSWORD_MIN_SCORE) return null;
  const why = [result.feedback.warning, ...result.feedback.suggestions]
    .filter((s): s is string => Boolean(s))
    .join(' ');
  return `password: too easy to guess (strength ${result.score} of 4, at least ${PASSWORD_MIN_SCORE} needed). ${why || 'Use a longer phrase of uncommon words.'}`.trim();
}
