import { createHash } from 'node:crypto';
import { convert as htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { NormalizedInbound } from '../../src/channels/channel-port';
import { isAutoReply, mailingListOf } from './auto-reply';
import { isDeliveryReport, parseDeliveryStatus, type BounceInfo } from './bounce';
import { parseDispositionNotification, parseFeedbackReport } from './feedback-reports';
import { relabelGbCharsets } from './gb-charset';
import { headerParams, headerText, messageIds } from './header-values';
import { inboundAttachments } from './inbound-attachments';
import { isPlainBounce, parsePlainBounce } from './plain-bounce';
import { decodeEightBitHeader, rawHeader } from './raw-header-text';
import { tidyRaw, withoutNul } from './raw-message';
import { stripQuotedText } from './strip-quoted';
import { extractUuencoded } from './uuencode';

export interface ParseInboundOptions {
  /** Attachments larger than this are listed without content (metadata.attachmentsTooLarge). */
  maxAttachmentBytes?: number;
}

export const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

const STATUS_PART = /^message\/(?:global-)?delivery-status$/i;
const FEEDBACK_PART = /^message\/feedback-report$/i;
const RECEIPT_PART = /^message\/(?:global-)?disposition-notification$/i;
const ORIGINAL_PART =
  /^(?:message\/(?:global|rfc822)|text\/rfc822-headers|message\/rfc822-headers)$/i;

/**
 * One raw RFC 5322 message (from the SMTP receiver or the inbound webhook) as a
 * NormalizedInbound: new text only in `text`, the full original in metadata.originalText and
 * `html`; bounces become kind 'event' with metadata.bounce, spam complaints (ARF) with
 * metadata.feedback, read receipts (MDN) with metadata.receipt. Never throws for content: a
 * message the MIME parser cannot read is kept as its raw text with metadata.parseError.
 */
export async function parseInboundEmail(
  input: Buffer,
  opts: ParseInboundOptions = {},
): Promise<NormalizedInbound> {
  const { raw, fixes } = tidyRaw(input);
  const maxBytes = opts.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  let normalized: NormalizedInbound;
  try {
    const parsed = await simpleParser(relabelGbCharsets(raw), {
      keepDeliveryStatus: true,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
    });
    normalized = normalize(parsed, raw, maxBytes);
  } catch (e) {
    normalized = unparsed(raw, e as Error);
  }
  if (fixes.length > 0) normalized.metadata = { ...normalized.metadata, rawFixes: fixes };
  return clean(normalized, input);
}

function normalize(parsed: ParsedMail, raw: Buffer, maxBytes: number): NormalizedInbound {
  const html =
    typeof parsed.html === 'string' && parsed.html.trim() !== '' ? parsed.html : undefined;
  const plain = parsed.text?.trim() ? parsed.text : undefined;
  const uu = extractUuencoded(
    (plain ?? (html ? textOfHtml(html) : '')).replace(/\r\n?/g, '\n').trim(),
  );
  const originalText = uu.text;
  const rawHead = headOf(raw);
  const subject = subjectOf(parsed, rawHead);
  const sender = parsed.from?.value[0];
  const from = (sender?.address ?? '').toLowerCase();
  const to = addresses(parsed.to);
  const report = reportOf(parsed, { from, to, subject, text: originalText }, raw);
  const { attachments, tooLarge } = inboundAttachments(
    [
      ...parsed.attachments,
      ...uu.files.map((f) => ({ filename: f.filename, content: f.content, uuencoded: true })),
    ],
    maxBytes,
    report !== null,
  );
  const messageId = messageIds(parsed.messageId)[0];
  const threadRefs = unique([...messageIds(parsed.inReplyTo), ...messageIds(parsed.references)]);
  const metadata: Record<string, unknown> = { originalText };
  if (!messageId) metadata.messageIdSynthesized = true;
  if (parsed.date && !Number.isNaN(parsed.date.getTime())) metadata.sentAt = parsed.date;
  const cc = addresses(parsed.cc);
  if (cc.length > 0) metadata.cc = cc;
  if (tooLarge.length > 0) metadata.attachmentsTooLarge = tooLarge;
  if (report) Object.assign(metadata, report);
  const list = mailingListOf(parsed.headers);
  if (list) metadata.mailingList = list;
  const resentFrom = headerText(parsed.headers, 'resent-from');
  if (resentFrom) metadata.resentFrom = resentFrom;
  // A report's sender may be null (MAILER-DAEMON <>); a person's mail without a From names
  // its author in Sender or Reply-To, if anywhere.
  const author =
    from || (report ? '' : (headerAddress(parsed, 'sender') ?? firstAddress(parsed.replyTo) ?? ''));
  return {
    channel: 'email',
    from: author,
    ...(sender?.name ? { senderName: sender.name } : {}),
    ...(to[0] ? { to: to[0] } : {}),
    providerMessageId: messageId ?? createHash('sha256').update(raw).digest('hex'),
    kind: report ? 'event' : 'message',
    text: stripQuotedText(originalText),
    ...(html ? { html } : {}),
    ...(subject !== undefined ? { subject } : {}),
    attachments,
    threadRefs,
    autoReply: report !== null || isAutoReply(parsed.headers, subject),
    metadata,
  };
}

/** What the MIME parser could not read: its headers by hand, its body as text. */
function unparsed(raw: Buffer, error: Error): NormalizedInbound {
  const text = raw.toString('utf8');
  const split = /\r?\n\r?\n/.exec(text);
  const head = split ? text.slice(0, split.index) : text;
  const body = split ? text.slice(split.index + split[0].length) : '';
  const fromHeader = rawHeader(head, 'from') ?? '';
  const from = (
    /<([^<>\s]+@[^<>\s]+)>/.exec(fromHeader)?.[1] ??
    /[^\s<>"]+@[^\s<>"]+/.exec(fromHeader)?.[0] ??
    ''
  ).toLowerCase();
  const messageId = messageIds(rawHeader(head, 'message-id'))[0];
  const subject = rawHeader(head, 'subject');
  return {
    channel: 'email',
    from,
    providerMessageId: messageId ?? createHash('sha256').update(raw).digest('hex'),
    kind: 'message',
    text: body.trim(),
    ...(subject !== undefined ? { subject } : {}),
    attachments: [],
    threadRefs: [],
    autoReply: false,
    metadata: {
      originalText: body.trim(),
      parseError: error.message.slice(0, 300),
      ...(messageId ? {} : { messageIdSynthesized: true }),
    },
  };
}

/**
 * NULs removed from everything stored as text (PostgreSQL refuses them in text and jsonb). The
 * raw message, NULs and all, is kept as an attachment so nothing is lost.
 */
function clean(n: NormalizedInbound, raw: Buffer): NormalizedInbound {
  const removed = { count: 0 };
  const { attachments, ...rest } = n;
  const cleaned = withoutNul(rest, removed);
  const files = (attachments ?? []).map((a) => ({
    ...a,
    filename: withoutNul(a.filename, removed),
    contentType: withoutNul(a.contentType, removed),
    ...(a.contentId ? { contentId: withoutNul(a.contentId, removed) } : {}),
  }));
  if (removed.count === 0) return n;
  return {
    ...cleaned,
    attachments: [
      ...files,
      {
        filename: 'original-message.eml',
        contentType: 'message/rfc822',
        size: raw.length,
        content: raw,
      },
    ],
    metadata: { ...cleaned.metadata, nulCharactersRemoved: removed.count },
  };
}

function textOfHtml(html: string): string {
  return htmlToText(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

/** The subject, re-read from the raw bytes when they hold 8-bit text the parser misread. */
function subjectOf(parsed: ParsedMail, rawHead: string): string | undefined {
  const raw = rawHeader(rawHead, 'subject');
  const decoded = raw === undefined ? undefined : decodeEightBitHeader(raw, bodyCharset(rawHead));
  return decoded ?? parsed.subject;
}

function bodyCharset(rawHead: string): string | undefined {
  const contentType = rawHeader(rawHead, 'content-type') ?? '';
  return /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
}

function headOf(raw: Buffer): string {
  const text = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  return end ? text.slice(0, end.index) : text;
}

interface ReportFacts {
  from: string;
  to: string[];
  subject: string | undefined;
  text: string;
}

/** metadata.bounce, metadata.feedback or metadata.receipt; null for a message a person wrote. */
function reportOf(
  parsed: ParsedMail,
  facts: ReportFacts,
  raw: Buffer,
): Record<string, unknown> | null {
  const contentType = headerText(parsed.headers, 'content-type');
  const reportType = headerParams(parsed.headers, 'content-type')['report-type']?.toLowerCase();
  const parts = parsed.attachments;
  const partText = (re: RegExp) =>
    parts
      .filter((a) => re.test(contentTypeOf(a.contentType)))
      .map((a) => a.content.toString('utf8'));
  // An inline message/rfc822 part is shown as body text by the parser: read its headers raw.
  const original = partText(ORIGINAL_PART)[0] ?? rawOriginalHeaders(raw);
  const feedback = partText(FEEDBACK_PART);
  if (reportType === 'feedback-report' || feedback.length > 0)
    return { feedback: parseFeedbackReport(feedback.join('\n\n'), original) };
  const receipt = partText(RECEIPT_PART);
  if (reportType === 'disposition-notification' || receipt.length > 0)
    return { receipt: parseDispositionNotification(receipt.join('\n\n'), original) };
  let bounce: BounceInfo | null = null;
  if (isDeliveryReport(contentType, reportType) || partText(STATUS_PART).length > 0) {
    const originalId = original
      ? messageIds(/^message-id:\s*(.+)$/im.exec(original)?.[1])[0]
      : undefined;
    bounce = parseDeliveryStatus(partText(STATUS_PART), originalId);
  }
  if (!bounce) {
    const originalHeaders = original ?? inlineOriginal(facts.text);
    const input = {
      ...facts,
      autoSubmitted: headerText(parsed.headers, 'auto-submitted'),
      originalHeaders,
    };
    bounce = parsePlainBounce(input);
    const originalId = messageIds(/^message-id:\s*(.+)$/im.exec(originalHeaders ?? '')?.[1])[0];
    if (bounce && originalId) bounce.originalMessageId = originalId;
    // A bounce all the same, though it names no recipient we can read: never a conversation.
    if (!bounce && (isDeliveryReport(contentType, reportType) || isPlainBounce(input)))
      bounce = { recipient: '', status: '', action: 'failed', permanent: false };
  }
  return bounce ? { bounce } : null;
}

/** The header block of the first message/rfc822 (or rfc822-headers) part, read from the raw bytes. */
function rawOriginalHeaders(raw: Buffer): string | undefined {
  const text = raw.subarray(0, 512 * 1024).toString('latin1');
  const part =
    /^content-type:[ \t]*(?:message\/rfc822|text\/rfc822-headers|message\/rfc822-headers)\b[^]*?\r?\n\r?\n/im.exec(
      text,
    );
  if (!part) return undefined;
  const rest = text.slice(part.index + part[0].length);
  const end = /\r?\n\r?\n/.exec(rest);
  return end ? rest.slice(0, end.index) : rest;
}

/** The quoted original's header block inside a plain-text bounce, when it has one. */
function inlineOriginal(text: string): string | undefined {
  const m = /^(?:return-path|received|from|to|subject|message-id|date):.*$/im.exec(text);
  return m ? text.slice(m.index) : undefined;
}

function contentTypeOf(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list
    .flatMap((obj) => obj.value)
    .flatMap((a) => (a.address ? [a.address.toLowerCase()] : []));
}

function headerAddress(parsed: ParsedMail, name: string): string | undefined {
  const value = parsed.headers.get(name) as AddressObject | undefined;
  return value && typeof value === 'object' && 'value' in value ? firstAddress(value) : undefined;
}

function firstAddress(field: AddressObject | AddressObject[] | undefined): string | undefined {
  return addresses(field)[0];
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
