import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** The region a phone number typed without a country code is read in (the hub's customers are in China first). */
export const SEARCH_PHONE_REGION = 'CN';
/** Fewest digits a typed phone fragment needs to be looked up as the end of a number. */
export const MIN_PHONE_DIGITS = 4;
/** Fewest characters an e-mail or WeChat fragment needs (the trigram index answers from three). */
export const MIN_ADDRESS_CHARS = 3;

/**
 * What a search box term asks of customers: every field is a way the term may match, null when
 * the term cannot match that way.
 */
export interface CustomerSearchTerm {
  /** Matched anywhere in the display name, whatever the case (one character is enough). */
  name: string;
  /** Matched anywhere in an e-mail address or WeChat id, whatever the case. */
  address: string | null;
  /** The E.164 number the term reads as, matched exactly. */
  phone: string | null;
  /** The term's digits, matched as the end of a phone number (a number typed in part). */
  phoneDigits: string | null;
}

const PHONE_LIKE = /^\+?[\d\s\-().]+$/;

/** How a search term is tried against customers' names and identities. */
export function customerSearchTerm(q: string): CustomerSearchTerm {
  const term = q.trim();
  const phoneLike = PHONE_LIKE.test(term);
  const digits = phoneLike ? term.replace(/\D/g, '') : '';
  const parsed = phoneLike ? parsePhoneNumberFromString(term, SEARCH_PHONE_REGION) : undefined;
  return {
    name: term,
    address: [...term].length >= MIN_ADDRESS_CHARS && !/\s/.test(term) ? term.toLowerCase() : null,
    phone: parsed?.isValid() ? parsed.number : null,
    phoneDigits: digits.length >= MIN_PHONE_DIGITS ? digits : null,
  };
}
