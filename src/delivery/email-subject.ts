/**
 * Subjects of the e-mails an agent's reply or the hub sends in a conversation: never empty, one
 * "Re: " however many replies came before, in the customer's language when there is nothing to
 * reply to.
 */

/** Reply markers mail clients put before a subject (English, German, Nordic, Chinese), any number. */
const REPLY_MARKERS = /^(?:\s*(?:re|aw|sv|回复|答复)(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+/i;

/** Whether a customer's locale is Chinese (zh, zh-CN, zh-Hans…): the texts are zh-CN or English. */
export function isChineseLocale(locale: string | null | undefined): boolean {
  return (locale ?? '').toLowerCase().startsWith('zh');
}

/** The subject a thread is about, its reply markers taken off; '' when it has none. */
export function threadTopic(subject: string | null | undefined): string {
  return (subject ?? '').replace(REPLY_MARKERS, '').replace(/\s+/g, ' ').trim();
}

const NO_TOPIC = { en: 'Your support request', zh: '您的咨询' };

/** "Re: <topic>" for a reply in a thread about `subject`; a localized default when it has none. */
export function replySubject(subject: string | null | undefined, locale: string): string {
  const topic = threadTopic(subject);
  if (topic) return `Re: ${topic}`;
  return `Re: ${isChineseLocale(locale) ? NO_TOPIC.zh : NO_TOPIC.en}`;
}
