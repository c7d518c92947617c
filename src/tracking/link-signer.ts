/**
 * Signed tracking tokens: base64url(fields joined by \n) + "." + HMAC-SHA256 (truncated to 128
 * bits). A link carries its own destination, so the redirect target is whatever we signed and
 * nothing else: a tampered token fails verification and nobody is redirected.
 */
import { createHmac, timingSafeEqual } from 'crypto';

/** o: open pixel, c: click, u: unsubscribe, p: preference centre, a: attachment link. */
export type TrackingKind = 'o' | 'c' | 'u' | 'p' | 'a';

export class LinkSigner {
  constructor(private readonly secret: string) {}

  sign(kind: TrackingKind, fields: readonly string[]): string {
    const body = Buffer.from([kind, ...fields].join('\n')).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The fields, or null when the token is malformed, of another kind, or tampered with. */
  verify(kind: TrackingKind, token: string): string[] | null {
    if (typeof token !== 'string' || token.length > 4096) return null;
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return null;
    const body = token.slice(0, dot);
    const signature = token.slice(dot + 1);
    const given = Buffer.from(signature, 'base64url');
    // The decoder ignores a last character's unused bits, so several spellings decode to the same
    // bytes; only the one we issue is accepted, or a token would have look-alikes that also verify.
    if (given.toString('base64url') !== signature) return null;
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const parts = Buffer.from(body, 'base64url').toString('utf8').split('\n');
    if (parts[0] !== kind) return null;
    return parts.slice(1);
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret)
      .update(body)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }
}
