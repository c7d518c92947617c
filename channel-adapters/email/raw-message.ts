/**
 * What a raw message may carry before its first header, and line endings, made parseable:
 * a byte-order mark, blank or whitespace-only lines, an mbox "From " envelope line; a message
 * whose lines end in CR alone (classic Mac OS) gets CRLF. Works on bytes read as latin1. Pure.
 */
export interface TidiedRaw {
  raw: Buffer;
  /** What was changed, for the message's metadata (empty when nothing was). */
  fixes: string[];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function tidyRaw(input: Buffer): TidiedRaw {
  const fixes: string[] = [];
  let raw = input;
  if (raw.subarray(0, 3).equals(BOM)) {
    raw = raw.subarray(3);
    fixes.push('bom');
  }
  let text = raw.toString('latin1');
  const head = text.slice(0, 64 * 1024);
  if (head.includes('\r') && !head.includes('\n')) {
    text = text.replace(/\r/g, '\r\n');
    fixes.push('cr-line-endings');
  }
  const prelude = /^(?:[ \t]*\r?\n|From [^\r\n:]*\r?\n)+/.exec(text);
  if (prelude) {
    text = text.slice(prelude[0].length);
    fixes.push('text-before-headers');
  }
  return fixes.length === 0 ? { raw: input, fixes } : { raw: Buffer.from(text, 'latin1'), fixes };
}

/** Whether the message starts with a header line ("Name: value"). */
export function startsWithHeader(raw: Buffer): boolean {
  const firstLine = raw.subarray(0, 1024).toString('latin1').split(/\r?\n/, 1)[0];
  return /^[!-9;-~]+:/.test(firstLine);
}

/** Removes NUL characters from every string in a JSON-like value; counts what it removed. */
export function withoutNul<T>(value: T, removed: { count: number }): T {
  if (typeof value === 'string') {
    if (!value.includes('\u0000')) return value;
    const clean = value.replace(/\u0000/g, '');
    removed.count += value.length - clean.length;
    return clean as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => withoutNul(v, removed)) as T;
  if (Buffer.isBuffer(value) || value instanceof Date || value === null) return value;
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[withoutNul(k, removed)] = withoutNul(v, removed);
    return out as T;
  }
  return value;
}
