/**
 * Preference-centre links: a signed token (kind 'p') carrying the customer id, when it was
 * issued and when it expires. Signed like the unsubscribe token, so neither the customer nor
 * the dates can be changed without the secret; an expired token is told apart from a bad one.
 */
import type { LinkSigner } from './link-signer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;

export interface PreferenceToken {
  customerId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export type PreferenceTokenReading =
  | ({ ok: true } & PreferenceToken)
  | { ok: false; problem: 'invalid' }
  | { ok: false; problem: 'expired'; expiresAt: Date };

export function signPreferenceToken(
  signer: LinkSigner,
  customerId: string,
  issuedAt: Date,
  ttlDays: number,
): { token: string; expiresAt: Date } {
  const expiresAt = new Date(issuedAt.getTime() + ttlDays * DAY_MS);
  const token = signer.sign('p', [
    customerId,
    issuedAt.getTime().toString(36),
    expiresAt.getTime().toString(36),
  ]);
  return { token, expiresAt };
}

/** The token's customer and dates; invalid when forged, tampered or of another kind. */
export function readPreferenceToken(
  signer: LinkSigner,
  token: string,
  now: Date,
): PreferenceTokenReading {
  const fields = signer.verify('p', token);
  if (fields === null || fields.length !== 3 || !UUID.test(fields[0])) {
    return { ok: false, problem: 'invalid' };
  }
  const issued = parseInt(fields[1], 36);
  const expires = parseInt(fields[2], 36);
  if (!Number.isSafeInteger(issued) || !Number.isSafeInteger(expires)) {
    return { ok: false, problem: 'invalid' };
  }
  if (expires <= now.getTime())
    return { ok: false, problem: 'expired', expiresAt: new Date(expires) };
  return {
    ok: true,
    customerId: fields[0].toLowerCase(),
    issuedAt: new Date(issued),
    expiresAt: new Date(expires),
  };
}

export function preferenceUrl(base: string, token: string): string {
  return `${base}/p/${token}`;
}
