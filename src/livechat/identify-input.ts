import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error';
import { normalizeAddress } from '../customers/address';
import { ChatRefused } from './chat-refused';
import type { ClaimKind } from './identity-claims.repository';

/** The widget sends '' for a field left blank. */
const blankless = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

const IdentifyBody = z.object({
  name: blankless(z.string().trim().max(200)),
  email: blankless(z.string().trim().toLowerCase().email().max(320)),
  phone: blankless(z.string().trim().max(40)),
  externalId: blankless(z.string().trim().min(1).max(200)),
  identityHash: blankless(z.string().trim().max(200)),
  /** The widget's language, for the code message when nobody holds the address yet. */
  locale: blankless(z.enum(['en', 'zh-CN'])),
});

const VerifyBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6 digits we sent'),
});

/** One identifier a visitor claims, normalized as customer identities are (API.md). */
export interface Claimed {
  kind: ClaimKind;
  /** As hashed and stored on the claim: lower-cased e-mail, E.164 phone, external id as given. */
  address: string;
  /** The customer identity it stands for: external ids are live-chat identities `ext:<id>`. */
  identity: {
    kind: 'email' | 'phone' | 'livechat';
    channel: 'email' | 'sms' | 'livechat';
    address: string;
  };
}

export interface IdentifyInput {
  name?: string;
  locale?: 'en' | 'zh-CN';
  identityHash?: string;
  /** What the hash signs: the external id if given, else the e-mail, else the phone. */
  primary: Claimed | null;
  /** Every identifier given, the primary first. */
  claims: Claimed[];
}

function refuse(prefix: string, error: z.ZodError): never {
  const issue = error.issues[0];
  throw new ChatRefused(`${prefix}: ${issue.path.join('.') || 'body'}: ${issue.message}`);
}

export function parseIdentify(body: unknown): IdentifyInput {
  const parsed = IdentifyBody.safeParse(body);
  if (!parsed.success) refuse('identify', parsed.error);
  const d = parsed.data as {
    name?: string;
    email?: string;
    phone?: string;
    externalId?: string;
    identityHash?: string;
    locale?: 'en' | 'zh-CN';
  };
  const claims: Claimed[] = [];
  if (d.externalId !== undefined) {
    if (/[\u0000-\u001f]/.test(d.externalId))
      throw new ChatRefused('identify: externalId: contains control characters');
    claims.push({
      kind: 'external',
      address: d.externalId,
      identity: { kind: 'livechat', channel: 'livechat', address: `ext:${d.externalId}` },
    });
  }
  if (d.email !== undefined)
    claims.push({
      kind: 'email',
      address: d.email,
      identity: { kind: 'email', channel: 'email', address: d.email },
    });
  if (d.phone !== undefined) {
    let phone: string;
    try {
      phone = normalizeAddress('sms', d.phone, 'identify: phone').address;
    } catch (e) {
      if (e instanceof DomainError) throw new ChatRefused(e.message);
      throw e;
    }
    claims.push({
      kind: 'phone',
      address: phone,
      identity: { kind: 'phone', channel: 'sms', address: phone },
    });
  }
  if (!d.name && claims.length === 0)
    throw new ChatRefused('identify: give a name, an email, a phone or an externalId');
  return {
    name: d.name,
    locale: d.locale,
    identityHash: d.identityHash,
    primary: claims[0] ?? null,
    claims,
  };
}

export function parseVerify(body: unknown): string {
  const parsed = VerifyBody.safeParse(body);
  if (!parsed.success) refuse('verify', parsed.error);
  return (parsed.data as { code: string }).code;
}
