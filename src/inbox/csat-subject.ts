import { isChineseLocale, threadTopic } from '../delivery/email-subject';

const ASK = { en: 'How did we do?', zh: '请为本次服务评分' };

/**
 * The subject of the rating request e-mail: in the customer's language, after "Re: " the
 * thread's subject when it has one (mail clients keep it in the customer's thread).
 */
export function csatSubject(threadSubject: string | null | undefined, locale: string): string {
  const ask = isChineseLocale(locale) ? ASK.zh : ASK.en;
  const topic = threadTopic(threadSubject);
  return topic ? `Re: ${topic} · ${ask}` : ask;
}
