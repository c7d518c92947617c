import type { BounceInfo } from './bounce';

/**
 * Bounces that are not RFC 3464 reports: Gmail's and Exchange's plain "Delivery Status
 * Notification", qmail's "failure notice", Yahoo, Zoho, Domino/Notes, DragonFly, Postfix without
 * a report part... Recognised by who sends them (MAILER-DAEMON, postmaster, a null sender), their
 * subject and their wording; the failed recipient is read from the explanation above the quoted
 * original, else from the quoted original's To header. Pure.
 */
export interface PlainBounceInput {
  /** The From address ('' for MAILER-DAEMON <>). */
  from: string;
  /** Who the bounce is addressed to (the original sender, i.e. us). */
  to: readonly string[];
  subject: string | undefined;
  /** The message's text (plain, or the HTML as text). */
  text: string;
  /** Auto-Submitted header value, if any. */
  autoSubmitted?: string;
  /** Headers of the quoted original (message/rfc822 or text/rfc822-headers part), if any. */
  originalHeaders?: string;
}

const DAEMON_LOCAL =
  /^(?:mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|maildaemon|postmaster|mdaemon|mail\.?delivery(?:\.?subsystem)?)$/i;
const BOUNCE_SUBJECT =
  /(?:delivery status notification|failure notice|undeliver(?:able|ed)|returned mail|mail delivery (?:failed|failure|system|subsystem)|delivery (?:failure|failed|has failed|problem|notification)|mail system error|non[- ]?delivery|could not be delivered|not delivered|delivery failure|unzustellbar|nicht zustellbar|delayed mail|could not send message|rejected:)/i;
const FORWARDED_SUBJECT = /^\s*(?:re|fwd?|aw|wg|回复|转发)\s*[:：]/i;
const BOUNCE_BODY =
  /(?:could not be delivered|couldn't be delivered|wasn't able to deliver|was not able to deliver|unable to deliver|failed permanently|did not reach|was not delivered|wasn't delivered|delivery (?:has )?failed|delivery failed|error delivering|not delivered to|permanent error|temporary error|undeliverable|user unknown|unknown user|mailbox (?:unavailable|full|not found)|no such user|address rejected|could not deliver|delivery to the following recipient|failure reasons|message could not be|i'm afraid i wasn't able|still being retried|will be retried|not listed in)/i;
/** Where the explanation ends and the quoted original begins. */
const ORIGINAL_MARKER =
  /^\s*[-|]*\s*(?:original message(?: follows)?|below this line is a copy of the message|returned message|message headers follow|message text follows|this is a copy of the message|a copy of the original message|the original message (?:follows|is attached|headers)|original message headers|undelivered message|returned mail follows)\b.*$/im;
const AFTER_MARKER =
  /(?:following (?:recipient|address)(?:\(s\)|es|s)?|failed addresses|addresses had (?:permanent )?(?:fatal )?(?:delivery )?(?:errors|problems)|did not reach|not delivered to|failed permanently|error delivering your mail to|unable to deliver your message to|could not be delivered to|deliver your message to|delivery failed[^:\n]*:)/i;
const ADDRESS =
  /<?([a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)>?/gi;
const ENHANCED_STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
const SMTP_CODE = /\b([45])\d\d\b(?=[\s-])/;
const TRANSIENT_WORDS =
  /(?:delayed|still being retried|will (?:be )?retr|temporar|has not yet been delivered|could not send message for past|warning: could not send)/i;

export function isPlainBounce(input: PlainBounceInput): boolean {
  const daemon = input.from === '' || DAEMON_LOCAL.test(localPart(input.from));
  const subject = input.subject ?? '';
  const subjectSays = BOUNCE_SUBJECT.test(subject) && !FORWARDED_SUBJECT.test(subject);
  const bodySays = BOUNCE_BODY.test(explanationOf(input.text));
  const automatic = input.autoSubmitted !== undefined && !/^\s*no\b/i.test(input.autoSubmitted);
  if (daemon) return subjectSays || bodySays;
  return subjectSays && bodySays && (automatic || !FORWARDED_SUBJECT.test(subject));
}

/** The bounce's reading (failed recipient, status, reason), or null when none can be found. */
export function parsePlainBounce(input: PlainBounceInput): BounceInfo | null {
  if (!isPlainBounce(input)) return null;
  const explanation = explanationOf(input.text);
  const ignore = new Set([input.from.toLowerCase(), ...input.to.map((a) => a.toLowerCase())]);
  let recipients = failedAddresses(explanation, ignore);
  if (recipients.length === 0 && input.originalHeaders) {
    const to = /^to:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/im.exec(input.originalHeaders)?.[1] ?? '';
    recipients = addressesIn(to, ignore, true);
  }
  if (recipients.length === 0) return null;
  const lower = explanation.toLowerCase();
  const starts = recipients.map((r) => lower.indexOf(r));
  const one = (recipient: string, i: number) => {
    // Each recipient's own lines first (qmail, Yahoo: "<addr>:" then its reason), else all.
    const from = starts[i];
    const next = starts.filter((x) => x > from).sort((a, b) => a - b)[0];
    const own = from >= 0 ? explanation.slice(from, next ?? explanation.length) : '';
    return reading(recipient, statusLineIn(own) ?? statusLineIn(explanation), explanation, input);
  };
  const all = recipients.map(one);
  return { ...all[0], ...(all.length > 1 ? { recipients: all } : {}) };
}

function statusLineIn(text: string): string | undefined {
  return text.split('\n').find((l) => ENHANCED_STATUS.test(l) || SMTP_CODE.test(l));
}

function reading(
  recipient: string,
  statusLine: string | undefined,
  explanation: string,
  input: PlainBounceInput,
): Omit<BounceInfo, 'recipients' | 'originalMessageId'> {
  const enhanced = statusLine ? ENHANCED_STATUS.exec(statusLine) : null;
  const smtp = !enhanced && statusLine ? SMTP_CODE.exec(statusLine) : null;
  const transient =
    enhanced?.[1] === '4' ||
    smtp?.[1] === '4' ||
    (!enhanced && !smtp && TRANSIENT_WORDS.test(`${input.subject ?? ''}\n${explanation}`));
  const status = enhanced ? enhanced[0] : transient ? '4.0.0' : '5.0.0';
  const diagnostic = (statusLine ?? reasonLine(explanation) ?? '').trim().slice(0, 300);
  return {
    recipient,
    status,
    action: transient ? 'delayed' : 'failed',
    permanent: !transient,
    ...(diagnostic ? { diagnostic } : {}),
  };
}

/** The text above the quoted original (all of it when there is no marker). */
function explanationOf(text: string): string {
  // Postfix: "<local@host> (expanded from <customer@example.org>)": the address we sent to.
  const normalized = text
    .replace(/\r\n?/g, '\n')
    .replace(/<[^<>\s]+>\s*\(expanded from <([^<>\s]+)>\)/gi, '<$1>');
  const marker = ORIGINAL_MARKER.exec(normalized);
  return marker ? normalized.slice(0, marker.index) : normalized.slice(0, 8000);
}

function failedAddresses(explanation: string, ignore: ReadonlySet<string>): string[] {
  const after = AFTER_MARKER.exec(explanation);
  if (after) {
    // After "the following recipient(s)": postmaster@ there is a recipient like any other.
    const found = addressesIn(explanation.slice(after.index), ignore, true);
    if (found.length > 0) return found;
  }
  return addressesIn(explanation, ignore, false);
}

function addressesIn(text: string, ignore: ReadonlySet<string>, daemonsToo: boolean): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(ADDRESS)) {
    const address = m[1].toLowerCase().replace(/\.$/, '');
    if (ignore.has(address) || (!daemonsToo && DAEMON_LOCAL.test(localPart(address)))) continue;
    if (!out.includes(address)) out.push(address);
  }
  return out;
}

function reasonLine(explanation: string): string | undefined {
  return explanation
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && BOUNCE_BODY.test(l));
}

function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? address.slice(0, at) : address;
}
