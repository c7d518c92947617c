/**
 * uuencoded files: a part sent with Content-Transfer-Encoding x-uuencode (the parser hands its
 * text through undecoded) and Eudora/Outlook-era "begin 644 name ... end" blocks inside a plain
 * text body. Pure.
 */
export interface UuFile {
  filename: string;
  content: Buffer;
}

const BEGIN = /^begin(?:-base64)? +[0-7]{3,4} +(.+?)\s*$/;

/** The files uuencoded in `text`, and the text without them. */
export function extractUuencoded(text: string): { text: string; files: UuFile[] } {
  if (!/^begin +[0-7]{3,4} +/m.test(text)) return { text, files: [] };
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  const files: UuFile[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]);
    const end = begin ? endOf(lines, i + 1) : -1;
    if (!begin || end < 0) {
      kept.push(lines[i]);
      continue;
    }
    const content = decodeLines(lines.slice(i + 1, end));
    if (content === null) {
      kept.push(lines[i]);
      continue;
    }
    files.push({ filename: begin[1], content });
    i = end;
  }
  return {
    text: kept
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    files,
  };
}

/** A whole part that is one uuencoded file (x-uuencode), decoded; null when it is not one. */
export function decodeUuencodedPart(content: Buffer): UuFile | null {
  const text = content.toString('latin1');
  const { files } = extractUuencoded(text);
  return files.length === 1 ? files[0] : null;
}

function endOf(lines: readonly string[], from: number): number {
  for (let j = from; j < lines.length; j++) if (lines[j].trim() === 'end') return j;
  return -1;
}

function decodeLines(lines: readonly string[]): Buffer | null {
  const out: number[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line === '`') continue;
    const length = (line.charCodeAt(0) - 32) & 63;
    if (length === 0) continue;
    const chars = line.slice(1);
    if (chars.length < Math.ceil(length / 3) * 4 - 1) return null;
    const bytes: number[] = [];
    for (let k = 0; k + 3 < chars.length + 1 && bytes.length < length; k += 4) {
      const c = [0, 1, 2, 3].map((n) => ((chars.charCodeAt(k + n) || 32) - 32) & 63);
      bytes.push(((c[0] << 2) | (c[1] >> 4)) & 255);
      bytes.push(((c[1] << 4) | (c[2] >> 2)) & 255);
      bytes.push(((c[2] << 6) | c[3]) & 255);
    }
    out.push(...bytes.slice(0, length));
  }
  return Buffer.from(out);
}
