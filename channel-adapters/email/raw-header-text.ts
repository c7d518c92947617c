/**
 * Header text with raw 8-bit bytes in it (unencoded, or inside an RFC 2047 encoded word, which
 * the MIME parser decodes twice). Works on the raw header bytes (read as latin1, so each char
 * is one byte): an encoded word decodes as its declared charset, raw text as UTF-8 when it is
 * valid UTF-8; either falls back to the body's charset, then Latin-1 (windows-1252). Pure.
 */
const ENCODED_WORD = /=\?([^?\s]+?)(?:\*[^?]*)?\?([bBqQ])\?([^?]*?)\?=/g;

/** The named header of a raw head (latin1 string), unfolded; undefined when absent. */
export function rawHeader(rawHead: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im');
  const m = re.exec(rawHead);
  return m ? m[1].replace(/\r?\n[ \t]/g, ' ').replace(/\r$/, '') : undefined;
}

/** The decoded header, or undefined when it has no 8-bit bytes (the parser's reading is right). */
export function decodeEightBitHeader(value: string, bodyCharset?: string): string | undefined {
  if (!/[\x80-\xff]/.test(value)) return undefined;
  let out = '';
  let last = 0;
  let lastWasWord = false;
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 6.2).
    if (!(lastWasWord && /^\s*$/.test(between)))
      out += decodeBytes(latin1Bytes(between), [], bodyCharset);
    const bytes = m[2].toLowerCase() === 'b' ? base64Bytes(m[3]) : qBytes(m[3]);
    out += decodeBytes(bytes, [m[1]], bodyCharset);
    last = m.index + m[0].length;
    lastWasWord = true;
  }
  out += decodeBytes(latin1Bytes(value.slice(last)), [], bodyCharset);
  return out.trim();
}

function decodeBytes(bytes: Buffer, declared: string[], bodyCharset?: string): string {
  const tries = [
    ...declared,
    ...(declared.length === 0 ? ['utf-8'] : []),
    bodyCharset,
    'windows-1252',
  ];
  for (const charset of tries) {
    if (!charset) continue;
    const text = strictDecode(bytes, charset);
    if (text !== null) return text;
  }
  return bytes.toString('latin1');
}

function strictDecode(bytes: Buffer, charset: string): string | null {
  try {
    return new TextDecoder(charset.trim().toLowerCase(), { fatal: true }).decode(bytes);
  } catch (e) {
    // An unknown label or bytes invalid in this charset: try the next. (Read by code, not
    // instanceof: the decoder's errors may come from another realm, as under jest.)
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_ENCODING_NOT_SUPPORTED' || code === 'ERR_ENCODING_INVALID_ENCODED_DATA')
      return null;
    throw e;
  }
}

function latin1Bytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function base64Bytes(text: string): Buffer {
  return Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
}

/** Q encoding: _ is a space, =XX a byte, anything else (raw 8-bit bytes too) itself. */
function qBytes(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const hex = ch === '=' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-f]{2}$/i.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(ch === '_' ? 0x20 : text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}
