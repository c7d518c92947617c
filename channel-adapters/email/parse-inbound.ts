import { createHash } from 'node:crypto';
import { convert as htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { NormalizedInbound } from '../../src/channels/channel-port';
import { isAutoReply } from './auto-reply';
import { isDeliveryReport, parseDeliveryStatus, type BounceInfo } from './bounce';
import { relabelGbCharsets } from './gb-charset';
import { headerParams, headerText, messageIds } from './header-values';
import { inboundAttachments } from './inbound-attachments';
import { stripQuotedText } from './strip-quoted';

export interface ParseInboundOptions {
  /** Attachments larger than this are listed without content (metadata.attachmentsTooLarge). */
  maxAttachmentBytes?: number;
}

export const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/**
 * One raw RFC 5322 message (from the SMTP receiver or the inbound webhook) as a
 * NormalizedInbound: new text only in `text`, the full original in metadata.originalText and
 * `html`; bounces become kind 'event' with metadata.bounce.
 */
export async function parseInboundEmail(
  raw: Buffer,
  opts: ParseInboundOptions = {},
): Promise<NormalizedInbound> {
  const parsed = await simpleParser(relabelGbCharsets(raw), {
    keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  const html =
    typeof parsed.html === 'string' && parsed.html.trim() !== '' ? parsed.html : undefined;
  const plain = parsed.text?.trim() ? parsed.text : undefined;
  const originalText = (plain ?? (html ? textOfHtml(html) : '')).replace(/\r\n?/g, '\n').trim();
  const bounce = bounceOf(parsed);
  const { attachments, tooLarge } = inboundAttachments(
    parsed.attachments,
    opts.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES,
    bounce !== null,
  );
  const sender = parsed.from?.value[0];
  const messageId = messageIds(parsed.messageId)[0];
  const threadRefs = unique([...messageIds(parsed.inReplyTo), ...messageIds(parsed.references)]);
  const metadata: Record<string, unknown> = { originalText };
  if (!messageId) metadata.messageIdSynthesized = true;
  if (parsed.date) metadata.sentAt = parsed.date;
  const cc = addresses(parsed.cc);
  if (cc.length > 0) metadata.cc = cc;
  if (tooLarge.length > 0) metadata.attachmentsTooLarge = tooLarge;
  if (bounce) metadata.bounce = bounce;
  return {
    channel: 'email',
    from: (sender?.address ?? '').toLowerCase(),
    ...(sender?.name ? { senderName: sender.name } : {}),
    ...(addresses(parsed.to)[0] ? { to: addresses(parsed.to)[0] } : {}),
    providerMessageId: messageId ?? createHash('sha256').update(raw).digest('hex'),
    kind: bounce ? 'event' : 'message',
    text: stripQuotedText(originalText),
    ...(html ? { html } : {}),
    ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
    attachments,
    threadRefs,
    autoReply: bounce !== null || isAutoReply(parsed.headers, parsed.subject),
    metadata,
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

function bounceOf(parsed: ParsedMail): BounceInfo | null {
  const contentType = headerText(parsed.headers, 'content-type');
  if (!isDeliveryReport(contentType, headerParams(parsed.headers, 'content-type')['report-type']))
    return null;
  const report = parsed.attachments.find((a) =>
    /^message\/(global-)?delivery-status$/i.test(a.contentType),
  );
  if (!report) return null;
  const original = parsed.attachments.find((a) =>
    /^(message\/rfc822|text\/rfc822-headers)$/i.test(a.contentType),
  );
  const originalId = original
    ? messageIds(/^message-id:\s*(.+)$/im.exec(original.content.toString('utf8'))?.[1])[0]
    : undefined;
  return parseDeliveryStatus(report.content.toString('utf8'), originalId);
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list
    .flatMap((obj) => obj.value)
    .flatMap((a) => (a.address ? [a.address.toLowerCase()] : []));
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
