import { headerText, type HeaderMap } from './header-values';

/**
 * Automatic replies (RFC 3834 and the vendor headers that predate it, plus out-of-office
 * subjects for senders that set no header at all). They never reopen or breach anything.
 */
const AUTO_PRECEDENCE = new Set(['auto_reply', 'bulk', 'junk']);
/** "Out of Office: ...", "Automatic reply: ...", "自动回复：..." (the phrase alone or before a colon). */
const AUTO_SUBJECT =
  /^\s*(?:(?:re|aw|回复|答复)\s*[:：]\s*)?(?:out of (?:the )?office(?:\s+auto-?reply)?|automatic reply|auto[- ]?reply|auto[- ]?response|自动回复|自動回覆|自動回复|自动答复)\s*(?:[:：]|$)/i;

export function isAutoReply(headers: HeaderMap, subject: string | undefined): boolean {
  const autoSubmitted = headerText(headers, 'auto-submitted')?.split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (flagSet(headerText(headers, 'x-autoreply')) || flagSet(headerText(headers, 'x-autorespond')))
    return true;
  const precedence = headerText(headers, 'precedence')?.trim().toLowerCase();
  if (precedence && AUTO_PRECEDENCE.has(precedence)) return true;
  return subject !== undefined && AUTO_SUBJECT.test(subject);
}

function flagSet(value: string | undefined): boolean {
  return value !== undefined && !/^\s*(?:no|false|0)\s*$/i.test(value);
}
