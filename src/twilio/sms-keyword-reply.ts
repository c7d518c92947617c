import type { SmsKeywordLanguage, SmsKeywordReading } from '../../channel-adapters/sms';

/** The configured answers (config.schema.ts, SMS_*_TEXT); an empty one means no answer. */
export interface SmsKeywordTexts {
  SMS_HELP_TEXT: string;
  SMS_HELP_TEXT_ZH: string;
  SMS_OPTOUT_TEXT: string;
  SMS_OPTOUT_TEXT_ZH: string;
  SMS_OPTIN_TEXT: string;
  SMS_OPTIN_TEXT_ZH: string;
}

/**
 * The language of a keyword's confirmation. A zh* locale means Chinese whatever the keyword.
 * Any other locale, or no customer yet, leaves it to the keyword: 'en' is also what every
 * customer gets when nobody set a locale, so it cannot tell an English reader from someone who
 * just wrote 退订; and we only have English and Chinese texts.
 */
export function smsReplyLanguage(
  customerLocale: string | null,
  keywordLanguage: SmsKeywordLanguage,
): SmsKeywordLanguage {
  return customerLocale?.toLowerCase().startsWith('zh') ? 'zh' : keywordLanguage;
}

/** The confirmation of a keyword in a language, or undefined when configured empty. */
export function smsKeywordReply(
  reading: SmsKeywordReading,
  language: SmsKeywordLanguage,
  texts: SmsKeywordTexts,
): string | undefined {
  const zh = language === 'zh';
  const text = {
    optout: zh ? texts.SMS_OPTOUT_TEXT_ZH : texts.SMS_OPTOUT_TEXT,
    optin: zh ? texts.SMS_OPTIN_TEXT_ZH : texts.SMS_OPTIN_TEXT,
    help: zh ? texts.SMS_HELP_TEXT_ZH : texts.SMS_HELP_TEXT,
  }[reading.keyword];
  return text || undefined;
}
