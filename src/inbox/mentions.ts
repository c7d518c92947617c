/** `@name` tokens of a note, lower-cased and without the @ (letters, digits, . _ - and CJK). */
export function mentionTokens(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:^|[^\w@])@([\p{L}\p{N}._-]{1,64})/gu)) {
    out.add(m[1].replace(/[._-]+$/, '').toLowerCase());
  }
  return [...out].filter(Boolean);
}
