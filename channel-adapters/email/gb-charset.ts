/**
 * Mail labelled GB2312 or GBK is very often really GBK or GB18030 (Outlook and many webmail
 * clients write whatever the system codepage holds under the older label). GB18030 is a superset
 * of both, so relabelling every GB-family charset as gb18030 decodes all of them correctly and
 * never changes the meaning of a body that really was GB2312.
 *
 * The rewrite touches only header blocks (the message's and each MIME part's), never body bytes.
 * It works on the raw bytes read as latin1, so every byte survives the round trip.
 */
const GB_LABEL =
  '(?:gb_?2312(?:[-_]80)?|csgb2312|x-gbk|gbk|cp936|ms936|windows-936|euc-cn|x-euc-cn)';
const CHARSET_PARAM = new RegExp(`(charset\\s*=\\s*)"?${GB_LABEL}"?(?=[\\s;]|$)`, 'gi');
const ENCODED_WORD = new RegExp(`=\\?${GB_LABEL}(\\*[a-z-]+)?\\?([bq])\\?`, 'gi');
const BOUNDARY_PARAM = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/gi;

export function relabelGbCharsets(raw: Buffer): Buffer {
  const source = raw.toString('latin1');
  if (!/gb|936|euc-cn/i.test(source)) return raw;
  const lines = source.split('\n');
  const boundaries = new Set<string>();
  let inHeader = true;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const bare = line.replace(/\r$/, '');
    if (inHeader) {
      if (bare === '') {
        inHeader = false;
        continue;
      }
      for (const match of bare.matchAll(BOUNDARY_PARAM)) boundaries.add(match[1] ?? match[2]);
      const rewritten = bare
        .replace(CHARSET_PARAM, '$1gb18030')
        .replace(
          ENCODED_WORD,
          (_m, lang: string | undefined, enc: string) => `=?gb18030${lang ?? ''}?${enc}?`,
        );
      if (rewritten !== bare) {
        lines[i] = rewritten + (line.endsWith('\r') ? '\r' : '');
        changed = true;
      }
    } else if (bare.startsWith('--') && isBoundaryLine(bare, boundaries)) {
      inHeader = !bare.trimEnd().endsWith('--') || !boundaries.has(bare.trimEnd().slice(2, -2));
    }
  }
  return changed ? Buffer.from(lines.join('\n'), 'latin1') : raw;
}

function isBoundaryLine(line: string, boundaries: ReadonlySet<string>): boolean {
  const marker = line.trimEnd().slice(2);
  return boundaries.has(marker) || (marker.endsWith('--') && boundaries.has(marker.slice(0, -2)));
}
