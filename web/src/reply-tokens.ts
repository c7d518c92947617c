import type { CannedResponse } from './types';

/** The `@name` or `/shortcut` being typed right before the caret. */
export interface ActiveToken {
  kind: '@' | '/';
  /** Index of the `@` or `/` in the text. */
  start: number;
  query: string;
}

// Letters of any script (Chinese names included), digits, and . _ - within the word being typed.
const WORD = /^[\p{L}\p{N}._-]*$/u;

/** The token the caret ends, when it starts a word (after a space or the text's start). */
export function activeToken(text: string, caret: number): ActiveToken | null {
  const before = text.slice(0, caret);
  const at = Math.max(before.lastIndexOf('@'), before.lastIndexOf('/'));
  if (at < 0) return null;
  const query = before.slice(at + 1);
  if (!WORD.test(query) || query.length > 30) return null;
  if (at > 0 && !/\s/.test(before[at - 1])) return null;
  return { kind: before[at] as '@' | '/', start: at, query };
}

/** Colleagues whose name contains the query (case-insensitive), names starting with it first. */
export function matchStaff<T extends { name: string }>(staff: T[], query: string, limit = 6): T[] {
  const q = query.toLowerCase();
  return staff
    .filter((s) => s.name.toLowerCase().includes(q))
    .sort((a, b) => rank(a.name, q) - rank(b.name, q) || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** Canned responses whose shortcut or text contains the query, shortcut matches first. */
export function matchCanned(canned: CannedResponse[], query: string, limit = 8): CannedResponse[] {
  const q = query.toLowerCase();
  const byCode = canned.filter((c) => c.shortCode.toLowerCase().includes(q));
  const byText = canned.filter((c) => !byCode.includes(c) && c.text.toLowerCase().includes(q));
  return [...byCode.sort((a, b) => rank(a.shortCode, q) - rank(b.shortCode, q)), ...byText].slice(
    0,
    limit,
  );
}

function rank(value: string, q: string): number {
  return value.toLowerCase().startsWith(q) ? 0 : 1;
}

/** Replaces text[start, caret) with insert; returns the new text and caret. */
export function replaceRange(
  text: string,
  start: number,
  caret: number,
  insert: string,
): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(caret), caret: start + insert.length };
}

/** Common emoji offered by the reply box's picker (no emoji library needed). */
export const COMMON_EMOJI: readonly string[] = (
  '😀 😊 😂 🙂 😉 😍 🤔 😅 😢 😮 🙏 👍 👎 👏 👋 🙌 ' +
  '❤️ 🎉 ✅ ❌ ⭐ 🔥 💡 📦 📞 📧 ⏰ 🚚 💰 🎁 ☕ 🌹'
).split(' ');
