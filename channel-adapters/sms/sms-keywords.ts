export type SmsKeyword = 'optout' | 'optin' | 'help';

const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: 'optout',
  STOPALL: 'optout',
  UNSUBSCRIBE: 'optout',
  CANCEL: 'optout',
  END: 'optout',
  QUIT: 'optout',
  退订: 'optout',
  START: 'optin',
  YES: 'optin',
  UNSTOP: 'optin',
  HELP: 'help',
  INFO: 'help',
};

/** Spaces, punctuation and symbols (emoji included) around the keyword do not count. */
const EDGES = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/**
 * The SMS keyword a whole message body is, per PROTOCOLS.md: case-insensitive, surrounding
 * spaces and punctuation aside, full-width letters folded (NFKC). Anything more is not a
 * keyword: "STOP please" -> null.
 */
export function detectSmsKeyword(body: string | null | undefined): SmsKeyword | null {
  if (!body) return null;
  const word = body.normalize('NFKC').replace(EDGES, '').toUpperCase();
  return KEYWORDS[word] ?? null;
}

/** Twilio's Advanced Opt-Out verdict (OptOutType: STOP | START | HELP), when present. */
export function keywordFromOptOutType(optOutType: string | undefined): SmsKeyword | null {
  switch (optOutType?.toUpperCase()) {
    case 'STOP':
      return 'optout';
    case 'START':
      return 'optin';
    case 'HELP':
      return 'help';
    default:
      return null;
  }
}
