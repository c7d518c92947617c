export type SmsKeyword = 'optout' | 'optin' | 'help';

/** The language a keyword is written in: the confirmation answers in it when nothing else says. */
export type SmsKeywordLanguage = 'en' | 'zh';

/** What a message body says as a keyword, and in which language. */
export interface SmsKeywordReading {
  keyword: SmsKeyword;
  language: SmsKeywordLanguage;
}

/**
 * Every keyword as NFKC upper case. English: Twilio's defaults (OPTOUT and REVOKE joined its
 * opt-out list in 2025). Chinese: what Chinese carriers print under marketing SMS ("回T退订",
 * "回复TD退订", "拒收请回复N") and what customers write (退订, 取消, 退出); T, TD and N are
 * counted as Chinese since only Chinese carriers use them. Opt-in is kept to unambiguous words:
 * 开通 (also "activate a paid service") and 恢复 ("restore") are ordinary messages.
 */
const KEYWORDS: Record<string, SmsKeywordReading> = {
  STOP: { keyword: 'optout', language: 'en' },
  STOPALL: { keyword: 'optout', language: 'en' },
  UNSUBSCRIBE: { keyword: 'optout', language: 'en' },
  CANCEL: { keyword: 'optout', language: 'en' },
  END: { keyword: 'optout', language: 'en' },
  QUIT: { keyword: 'optout', language: 'en' },
  OPTOUT: { keyword: 'optout', language: 'en' },
  REVOKE: { keyword: 'optout', language: 'en' },
  T: { keyword: 'optout', language: 'zh' },
  TD: { keyword: 'optout', language: 'zh' },
  N: { keyword: 'optout', language: 'zh' },
  退订: { keyword: 'optout', language: 'zh' },
  取消: { keyword: 'optout', language: 'zh' },
  退出: { keyword: 'optout', language: 'zh' },
  START: { keyword: 'optin', language: 'en' },
  YES: { keyword: 'optin', language: 'en' },
  UNSTOP: { keyword: 'optin', language: 'en' },
  订阅: { keyword: 'optin', language: 'zh' },
  HELP: { keyword: 'help', language: 'en' },
  INFO: { keyword: 'help', language: 'en' },
  帮助: { keyword: 'help', language: 'zh' },
};

/** Every keyword (or those of one kind) as NFKC upper case, as readSmsKeyword compares them. */
export function smsKeywords(kind?: SmsKeyword): string[] {
  return Object.entries(KEYWORDS)
    .filter(([, r]) => kind === undefined || r.keyword === kind)
    .map(([word]) => word);
}

/**
 * Spaces, punctuation, symbols (emoji included) and invisible format characters (zero-width
 * space, BOM) around the keyword do not count. Letters do, Chinese ones too: "退订吗？" is a
 * question about opting out, for an agent to answer, not an opt-out.
 */
const EDGES = /^[\s\p{P}\p{S}\p{Cf}]+|[\s\p{P}\p{S}\p{Cf}]+$/gu;

/**
 * The SMS keyword a whole message body is, per PROTOCOLS.md: case-insensitive, surrounding
 * spaces and punctuation aside, full-width letters folded (NFKC: ＳＴＯＰ is STOP). Anything
 * more is not a keyword: "STOP please" -> null.
 */
export function readSmsKeyword(body: string | null | undefined): SmsKeywordReading | null {
  if (!body) return null;
  const word = body.normalize('NFKC').replace(EDGES, '').toUpperCase();
  return Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : null;
}

/** Just the keyword of readSmsKeyword. */
export function detectSmsKeyword(body: string | null | undefined): SmsKeyword | null {
  return readSmsKeyword(body)?.keyword ?? null;
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

/**
 * The keyword of an inbound SMS: its body first, else Twilio's OptOutType (a keyword configured
 * in Advanced Opt-Out that is not ours), then in Chinese when the body has Chinese characters.
 */
export function readInboundSmsKeyword(
  body: string | null | undefined,
  optOutType?: string,
): SmsKeywordReading | null {
  const reading = readSmsKeyword(body);
  if (reading) return reading;
  const keyword = keywordFromOptOutType(optOutType);
  if (!keyword) return null;
  return { keyword, language: /\p{Script=Han}/u.test(body ?? '') ? 'zh' : 'en' };
}
