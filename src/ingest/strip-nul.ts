import type { NormalizedInbound } from '../channels/channel-port';

/**
 * A provider's message with every NUL (U+0000) in its strings, nested ones included, replaced
 * by U+FFFD: PostgreSQL takes NUL neither in text nor in jsonb, and a customer's message must
 * not be lost over one. Buffers (attachment contents) and dates are left as they are.
 */
export function withoutNul(input: NormalizedInbound): NormalizedInbound {
  return stripNul(input);
}

/** The same for any provider payload (a webhook's form fields before they are queued). */
export function stripNul<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes('\u0000') ? value.split('\u0000').join('\uFFFD') : value;
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  // Records of any prototype (a form parser's have none of Object's); bytes and dates as they are.
  if (ArrayBuffer.isView(value) || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k) as string, clean(v)]));
}
