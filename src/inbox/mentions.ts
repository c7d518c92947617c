/** Someone a note can @mention, with the handles that name them. */
export interface MentionCandidate {
  id: string;
  name: string;
  email: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{N}._-]/u;

/** The handles of a user, lower case: the name without spaces, the first name, the e-mail's local part. */
function handlesOf(c: MentionCandidate): string[] {
  const name = c.name.trim().toLowerCase();
  const handles = new Set([
    name.replace(/\s+/g, ''),
    name.split(/\s+/)[0],
    c.email.split('@')[0].toLowerCase(),
  ]);
  return [...handles].filter(Boolean);
}

/**
 * The users a note's @mentions name. Chinese is written without spaces, so `@王芳请看` names 王芳:
 * a handle ending in a CJK character may be followed by anything, while a Latin handle must end
 * at a word boundary (`@ann` does not name `annabel`). The longest matching handle wins
 * (`@王芳芳` names 王芳芳 when both exist).
 */
export function mentionedIds(text: string, candidates: readonly MentionCandidate[]): string[] {
  const handles = candidates.flatMap((c) => handlesOf(c).map((h) => ({ id: c.id, h })));
  handles.sort((a, b) => b.h.length - a.h.length);
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:^|[^\w@])@([\p{L}\p{N}._-]{1,64})/gu)) {
    const run = m[1].toLowerCase();
    const hit = handles.find(({ h }) => {
      if (!run.startsWith(h)) return false;
      if (run.length === h.length || CJK.test(h.at(-1)!)) return true;
      const next = run[h.length];
      // "@ann." at a sentence end still names ann.
      return !WORD_CHAR.test(next) || /^[._-]+$/.test(run.slice(h.length));
    });
    if (hit) out.add(hit.id);
  }
  return [...out];
}
