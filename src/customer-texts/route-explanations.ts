/**
 * The routing reasons stored with a message (decide-route.ts, fallback.service.ts, digests:
 * digest-plan.ts, digest-flush.service.ts), told to the
 * customer in plain words in their language. Pure: a reason it does not know, and the ones that
 * would only be noise to a customer (no address on a channel, no template for it), say nothing.
 */
import { isMessageKey, t, type Language, type MessageKey } from './catalog';

export interface SentMessageFacts {
  channel: string;
  urgency: string | null;
  reasons: readonly string[];
  /** The customer's time zone, for times the reasons do not carry one of (default UTC). */
  timezone?: string;
  /** A preview (POST /routing/preview): told as what will happen, not what did. */
  preview?: boolean;
}

const CHOSEN = /^(\w+) chosen: (.+)$/;
const MATRIX = /^preference matrix for (.+)\/([\w*]+)$/;
const DEFAULT = /^default ranking for (\w+)$/;
const DESPITE = /^(\w+): sent now despite quiet hours (\d\d:\d\d)-(\d\d:\d\d) (\S+)$/;
const DELAYED = /^delayed to (\S+): quiet hours (\d\d:\d\d)-(\d\d:\d\d) (\S+)$/;
const UNKNOWN_TZ = /^unknown timezone .*: treated as UTC$/;
const EXCLUDED = /^(\w+) excluded: (.+)$/;
const REVOKED = /^consent revoked for (\w+)$/;
const GATHERED_OPEN = /^gathered into digest \S+, due (\S+)$/;
const GATHERED_NEW =
  /^gathered into a new digest due (\S+?)( \(pushed past quiet hours from \S+\))?: a low-urgency message went at /;
const NOT_GATHERED_FORCED = 'not gathered into a digest: channel forced by the caller';
const CARRIES = /^digest \S+ carries (\d+) message\(s\)/;
const FALLBACK =
  /^fallback to (\w+): (\w+) message \w+, not (delivered|read|read or answered) within (\d+(?:\.\d+)?)s$/;

export function channelName(lang: Language, channel: string): string {
  const key = `channel.${channel}`;
  return isMessageKey(key) ? t(lang, key) : channel;
}

export function urgencyName(lang: Language, urgency: string): string {
  const key = `urgency.${urgency}`;
  return isMessageKey(key) ? t(lang, key) : urgency;
}

/** A known topic's label ("orders" -> "Order updates"), else the topic as the customer set it. */
export function topicName(lang: Language, topic: string): string {
  const key = `topic.${topic}`;
  return isMessageKey(key) ? t(lang, key) : topic;
}

export function purposeName(lang: Language, purpose: string): string {
  const key = `consent.purpose.${purpose}`;
  return isMessageKey(key) ? t(lang, key) : purpose;
}

/** 300 -> "5 minutes"; whole minutes and hours are said as such. */
export function durationName(lang: Language, seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600 && s % 3600 === 0)
    return s === 3600 ? t(lang, 'duration.hour') : t(lang, 'duration.hours', { n: s / 3600 });
  if (s >= 60 && s % 60 === 0)
    return s === 60 ? t(lang, 'duration.minute') : t(lang, 'duration.minutes', { n: s / 60 });
  return t(lang, 'duration.seconds', { n: s });
}

/** A moment as the customer reads it in their time zone (UTC when the zone is unknown). */
export function localTime(lang: Language, iso: string | Date, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' }).format(date);
  }
}

const URGENT = new Set(['high', 'critical']);
const STATE: Record<string, MessageKey> = {
  delivered: 'why.state.delivered',
  read: 'why.state.read',
  'read or answered': 'why.state.readOrAnswered',
};

function explainOne(lang: Language, reason: string, facts: SentMessageFacts): string | null {
  const ch = (c: string) => channelName(lang, c);
  let m = CHOSEN.exec(reason);
  if (m) {
    const channel = ch(m[1]);
    const source = m[2];
    if (source === 'forced by the caller') return t(lang, 'why.chosen.forced', { channel });
    if (source === 'learned from engagement') return t(lang, 'why.chosen.learned', { channel });
    const matrix = MATRIX.exec(source);
    if (matrix)
      return t(lang, 'why.chosen.matrix', {
        channel,
        topic: topicName(lang, matrix[1]),
        urgency: urgencyName(lang, matrix[2]),
      });
    const fallback = DEFAULT.exec(source);
    if (fallback)
      return t(lang, 'why.chosen.default', { channel, urgency: urgencyName(lang, fallback[1]) });
    return null;
  }
  if ((m = DESPITE.exec(reason)))
    return t(lang, 'why.quiet.despite', {
      start: m[2],
      end: m[3],
      urgency: urgencyName(lang, m[1]),
    });
  if ((m = DELAYED.exec(reason)))
    return t(lang, 'why.quiet.delayed', {
      time: localTime(lang, m[1], m[4]),
      start: m[2],
      end: m[3],
    });
  if (UNKNOWN_TZ.test(reason)) return t(lang, 'why.timezone.unknown');
  if ((m = EXCLUDED.exec(reason))) {
    const channel = ch(m[1]);
    const why = m[2];
    const revoked = REVOKED.exec(why);
    if (revoked)
      return t(lang, 'why.excluded.revoked', { channel, purpose: purposeName(lang, revoked[1]) });
    if (why === 'no consent granted for marketing')
      return t(lang, 'why.excluded.noMarketingConsent', { channel });
    if (why === 'identity bounced' || why === 'identity undeliverable')
      return t(lang, 'why.excluded.undeliverable', { channel });
    if (why.startsWith('provider down')) return t(lang, 'why.excluded.down', { channel });
    return null;
  }
  const gathered = GATHERED_OPEN.exec(reason) ?? GATHERED_NEW.exec(reason);
  if (gathered) {
    const time = localTime(lang, gathered[1], facts.timezone ?? 'UTC');
    const line = t(lang, facts.preview ? 'why.digest.willGather' : 'why.digest.gathered', {
      time,
    });
    if (!gathered[2]) return line;
    return `${line}${lang === 'zh-CN' ? '' : ' '}${t(lang, 'why.digest.pushed')}`;
  }
  if (reason === NOT_GATHERED_FORCED) return t(lang, 'why.digest.forced');
  if ((m = CARRIES.exec(reason))) {
    const n = Number(m[1]);
    return n === 1 ? t(lang, 'why.digest.carriedOne') : t(lang, 'why.digest.carried', { n });
  }
  if ((m = FALLBACK.exec(reason))) {
    const urgent = facts.urgency !== null && URGENT.has(facts.urgency);
    return t(lang, urgent ? 'why.fallback.urgent' : 'why.fallback.plain', {
      channel: ch(m[1]),
      previous: ch(m[2]),
      state: t(lang, STATE[m[3]]),
      duration: durationName(lang, Number(m[4])),
    });
  }
  return null;
}

/**
 * Why a message came the way it did, one sentence per reason worth telling; at least one
 * sentence (the channel) even when no reason is.
 */
export function explainRoute(lang: Language, facts: SentMessageFacts): string[] {
  const lines: string[] = [];
  for (const reason of facts.reasons) {
    const line = explainOne(lang, reason, facts);
    if (line !== null && !lines.includes(line)) lines.push(line);
  }
  if (lines.length === 0)
    lines.push(t(lang, 'why.plain', { channel: channelName(lang, facts.channel) }));
  return lines;
}
