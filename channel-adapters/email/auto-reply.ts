import { headerText, type HeaderMap } from './header-values';

/**
 * Automatic replies (RFC 3834 and the vendor headers that predate it, plus out-of-office
 * subjects for senders that set no header at all). They never reopen or breach anything.
 * Precedence bulk and list mark mailing-list mail, which people write: see mailingListOf.
 */
const AUTO_PRECEDENCE = new Set(['auto_reply', 'junk']);
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

export interface MailingList {
  /** The List-Id (or X-Mailing-List) value, when given. */
  id?: string;
  /** Precedence: bulk or list, when given. */
  precedence?: string;
}

/**
 * Mail distributed by a list (List-Id, List-Post, X-Mailing-List, Precedence: bulk|list): human
 * mail, stored like any other, but never answered automatically.
 */
export function mailingListOf(headers: HeaderMap): MailingList | null {
  // The parser gathers List-* headers under 'list': { id: { id?, name? }, post: {...}, ... }.
  const list = headers.get('list') as
    { id?: { id?: string; name?: string }; post?: unknown } | undefined;
  const id =
    list?.id?.id ??
    list?.id?.name ??
    headerText(headers, 'list-id') ??
    headerText(headers, 'x-mailing-list');
  const post = list?.post ?? headerText(headers, 'list-post');
  const precedence = headerText(headers, 'precedence')?.trim().toLowerCase();
  const bulk = precedence === 'bulk' || precedence === 'list';
  if (!id && !post && !bulk) return null;
  return {
    ...(id ? { id: id.trim().slice(0, 200) } : {}),
    ...(bulk ? { precedence } : {}),
  };
}
