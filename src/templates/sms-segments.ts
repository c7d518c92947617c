/**
 * SMS segment counting (PROTOCOLS.md): GSM-7 160 / 153 per part, extension characters count 2;
 * any character outside GSM-7 makes the message UCS-2, 70 / 67 per part, characters outside
 * the BMP count 2 units. Parts never split an escape pair or a surrogate pair.
 */
export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  /** Capacity of one part: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegment: number;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

/** 1 = basic GSM-7 character, 2 = extension (escape + char), 0 = not GSM-7. */
const GSM_WIDTH = new Uint8Array(0x2100);
for (const ch of GSM_BASIC) GSM_WIDTH[ch.charCodeAt(0)] = 1;
for (const ch of GSM_EXTENSION) GSM_WIDTH[ch.charCodeAt(0)] = 2;

function gsmWidth(code: number): number {
  return code < GSM_WIDTH.length ? GSM_WIDTH[code] : 0;
}

/** GSM-7 parts of 153 septets; an escape pair (width 2) is never split. */
function gsmParts(text: string): number {
  let parts = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const width = gsmWidth(text.charCodeAt(i));
    if (used + width > 153) {
      parts += 1;
      used = 0;
    }
    used += width;
  }
  return parts;
}

/** UCS-2 parts of 67 code units; a surrogate pair is never split. */
function ucs2Parts(text: string): number {
  let parts = 1;
  let used = 0;
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    const width = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    if (used + width > 67) {
      parts += 1;
      used = 0;
    }
    used += width;
    i += width;
  }
  return parts;
}

export function countSmsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (let i = 0; i < text.length; i++) {
    const width = gsmWidth(text.charCodeAt(i));
    if (width === 0) {
      gsm = false;
      break;
    }
    septets += width;
  }
  if (gsm) {
    if (septets <= 160)
      return {
        encoding: 'GSM-7',
        segments: septets === 0 ? 0 : 1,
        units: septets,
        perSegment: 160,
      };
    const segments = gsmParts(text);
    return { encoding: 'GSM-7', segments, units: septets, perSegment: 153 };
  }
  const units = text.length;
  if (units <= 70) return { encoding: 'UCS-2', segments: 1, units, perSegment: 70 };
  const segments = ucs2Parts(text);
  return { encoding: 'UCS-2', segments, units, perSegment: 67 };
}
