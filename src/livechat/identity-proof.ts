import { createHmac, randomInt, timingSafeEqual } from 'crypto';

/** How long a one-time code is good for, and how many wrong entries it survives. */
export const CODE_TTL_MS = 10 * 60 * 1000;
export const CODE_MAX_ATTEMPTS = 5;
export const CODE_DIGITS = 6;

/** HMAC-SHA256 of the identifier, hex: what a site that knows its user sends as identityHash. */
export function identityHash(secret: string, identifier: string): string {
  return createHmac('sha256', secret).update(identifier, 'utf8').digest('hex');
}

/**
 * Whether `given` is the identity hash of `identifier` under `secret`, compared in constant
 * time. No secret configured, or anything but 64 hex digits, is never valid.
 */
export function identityHashValid(
  secret: string | undefined,
  identifier: string,
  given: unknown,
): boolean {
  if (!secret || typeof given !== 'string' || !/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = Buffer.from(identityHash(secret, identifier), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** A fresh code of CODE_DIGITS digits, uniformly drawn. */
export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/** What is stored of a code: keyed with the server's secret and bound to its claim. */
export function codeHash(secret: string, claimId: string, code: string): string {
  return createHmac('sha256', secret).update(`livechat-code:${claimId}:${code}`).digest('hex');
}

/** Whether `code` is the one whose hash was stored, in constant time. */
export function codeMatches(
  secret: string,
  claimId: string,
  code: string,
  stored: string,
): boolean {
  const a = Buffer.from(codeHash(secret, claimId, code), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The address as the widget shows it after "we sent a code to": c***@example.cn, +86*******8000. */
export function maskAddress(kind: 'email' | 'phone', address: string): string {
  if (kind === 'email') {
    const at = address.lastIndexOf('@');
    return `${address.slice(0, 1)}***${address.slice(at)}`;
  }
  return `${address.slice(0, 3)}${'*'.repeat(Math.max(0, address.length - 7))}${address.slice(-4)}`;
}
