import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error';
import { addressKindOf, type AddressKind, type Channel } from '../common/names';

const email = z.string().email();
/**
 * An internationalised address (RFC 6531, SMTPUTF8): UTF-8 in the local part and the domain
 * labels; no spaces, control characters or specials outside a quoted local part.
 */
const INTERNATIONAL_EMAIL =
  /^(?=[^@]*[^\x00-\x7f]|.*@.*[^\x00-\x7f])[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}]{2,63}$/u;

export interface NormalizedAddress {
  kind: AddressKind;
  address: string;
}

/**
 * The one rule for identity addresses (API.md): e-mail lower-cased, phones E.164,
 * WeChat and live-chat ids as given (trimmed). `field` names the input in the error.
 */
export function normalizeAddress(
  channel: Channel,
  raw: string,
  field = 'address',
  defaultRegion?: string,
): NormalizedAddress {
  const kind = addressKindOf(channel);
  const value = (raw ?? '').trim();
  if (!value) throw new DomainError('bad_request', `${field}: must not be empty`);
  if (value.length > 320)
    throw new DomainError('bad_request', `${field}: longer than 320 characters`);
  switch (kind) {
    case 'email': {
      const bare = (/<([^>]+)>/.exec(value)?.[1] ?? value).trim().toLowerCase();
      if (
        !email.safeParse(bare).success &&
        !/^[^\s@]+@localhost$/.test(bare) &&
        !INTERNATIONAL_EMAIL.test(bare)
      ) {
        throw new DomainError('bad_request', `${field}: "${bare}" is not a valid e-mail address`);
      }
      return { kind, address: bare };
    }
    case 'phone': {
      const parsed = parsePhoneNumberFromString(value, defaultRegion as CountryCode | undefined);
      if (!parsed || !parsed.isValid()) {
        throw new DomainError(
          'bad_request',
          `${field}: "${value}" is not a valid phone number (use E.164, e.g. +8613800138000)`,
        );
      }
      return { kind, address: parsed.number };
    }
    case 'wechat':
    case 'livechat':
      if (/[\u0000-\u001f]/.test(value))
        throw new DomainError('bad_request', `${field}: contains control characters`);
      return { kind, address: value };
  }
}

/** Longest sender that is not a number we keep: an alphanumeric sender id has 11 characters. */
const MAX_RAW_SENDER = 32;

/**
 * A sender as a provider reports it on an inbound message. Phone channels: a valid number is
 * stored E.164 as everywhere else; a sender that is not a number (an alphanumeric sender id such
 * as "BANK", a short code such as "95588") is stored as given, since it can only be answered
 * by the provider's rules and must not cost the message. Other channels: normalizeAddress.
 */
export function normalizeSender(channel: Channel, raw: string, field = 'from'): NormalizedAddress {
  const kind = addressKindOf(channel);
  const value = (raw ?? '').trim();
  if (kind === 'phone' && value && !parsePhoneNumberFromString(value)?.isValid()) {
    if (value.length > MAX_RAW_SENDER || /[\p{Cc}\p{Cf}]/u.test(value))
      throw new DomainError(
        'bad_request',
        `${field}: "${value.slice(0, MAX_RAW_SENDER)}" is neither a phone number nor a sender id`,
      );
    return { kind, address: value };
  }
  return normalizeAddress(channel, raw, field);
}
