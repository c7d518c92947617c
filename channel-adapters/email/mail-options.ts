import type Mail from 'nodemailer/lib/mailer';
import type { Attachment, RenderedOutbound } from '../../src/channels/channel-port';
import { bracketed, messageIds } from './header-values';

export interface MailOptionsConfig {
  /** Default sender ("Support <support@example.com>"), used when the message names none. */
  from: string;
  /** Right-hand side of the Message-IDs we mint: <{messageId}@{domain}>. */
  domain: string;
}

/** The Message-ID (without brackets) we give a message: providers' receipts carry it. */
export function outboundMessageId(messageId: string, domain: string): string {
  return `${messageId}@${domain}`;
}

/**
 * The nodemailer message for one rendered outbound email: HTML with its plain-text alternative,
 * our Message-ID, threading headers (metadata.inReplyTo, metadata.references) and RFC 8058
 * one-click unsubscribe headers when metadata.unsubscribeUrl is set.
 */
export function buildMailOptions(msg: RenderedOutbound, opts: MailOptionsConfig): Mail.Options {
  const meta = msg.metadata ?? {};
  const inReplyTo = messageIds(stringsOf(meta.inReplyTo))[0];
  const references = messageIds(stringsOf(meta.references));
  if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
  const headers: Record<string, string> = { ...(msg.headers ?? {}), ...unsubscribeHeaders(meta) };
  return {
    from: msg.from ?? opts.from,
    to: msg.to,
    subject: msg.subject ?? '',
    text: msg.text,
    ...(msg.html ? { html: msg.html } : {}),
    messageId: bracketed(outboundMessageId(msg.messageId, opts.domain)),
    ...(inReplyTo ? { inReplyTo: bracketed(inReplyTo) } : {}),
    ...(references.length > 0 ? { references: references.map(bracketed).join(' ') } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(msg.attachments?.length ? { attachments: msg.attachments.map(mailAttachment) } : {}),
  };
}

function unsubscribeHeaders(meta: Record<string, unknown>): Record<string, string> {
  const url = typeof meta.unsubscribeUrl === 'string' ? meta.unsubscribeUrl : undefined;
  if (!url) return {};
  const mailto = typeof meta.unsubscribeMailto === 'string' ? meta.unsubscribeMailto : undefined;
  const targets = [
    url,
    ...(mailto ? [mailto.startsWith('mailto:') ? mailto : `mailto:${mailto}`] : []),
  ];
  return {
    'List-Unsubscribe': targets.map((t) => `<${t}>`).join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

function mailAttachment(a: Attachment): Mail.Attachment {
  return {
    filename: a.filename,
    contentType: a.contentType,
    ...(a.content ? { content: a.content } : a.url ? { path: a.url } : {}),
    ...(a.contentId ? { cid: a.contentId } : {}),
  };
}

function stringsOf(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}
