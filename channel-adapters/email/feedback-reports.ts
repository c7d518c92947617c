import { fieldBlocks } from './bounce';
import { messageIds } from './header-values';

/**
 * Spam complaints (ARF, RFC 5965: multipart/report; report-type=feedback-report) and message
 * disposition notifications (read receipts, RFC 8098: report-type=disposition-notification).
 * Pure readers of the report part's fields and the quoted original's headers.
 */
export interface FeedbackInfo {
  /** abuse, fraud, virus, other, not-spam... (lower-cased). */
  feedbackType: string;
  /** The address that complained: Original-Rcpt-To, Removal-Recipient, else the original's To. */
  complainant?: string;
  /** Message-ID (no brackets) of the message complained about, when quoted. */
  originalMessageId?: string;
  userAgent?: string;
  sourceIp?: string;
  arrivalDate?: string;
}

export interface ReceiptInfo {
  /** displayed, deleted, dispatched, processed... (lower-cased disposition type). */
  disposition: string;
  /** Whether the message was displayed to the reader. */
  read: boolean;
  /** Who read it: Final-Recipient, else Original-Recipient. */
  reader?: string;
  /** Message-ID (no brackets) of the message the receipt is for. */
  originalMessageId?: string;
}

export function parseFeedbackReport(report: string, originalHeaders?: string): FeedbackInfo {
  const fields = mergedFields(report);
  const complainant =
    addressOf(fields.get('original-rcpt-to')) ??
    addressOf(fields.get('removal-recipient')) ??
    addressOf(headerOf(originalHeaders, 'to'));
  const originalMessageId = messageIds(headerOf(originalHeaders, 'message-id'))[0];
  return {
    feedbackType: (fields.get('feedback-type') ?? 'abuse').trim().toLowerCase(),
    ...(complainant ? { complainant } : {}),
    ...(originalMessageId ? { originalMessageId } : {}),
    ...(fields.get('user-agent') ? { userAgent: fields.get('user-agent') } : {}),
    ...(fields.get('source-ip') ? { sourceIp: fields.get('source-ip') } : {}),
    ...(fields.get('arrival-date') ? { arrivalDate: fields.get('arrival-date') } : {}),
  };
}

export function parseDispositionNotification(
  report: string,
  originalHeaders?: string,
): ReceiptInfo {
  const fields = mergedFields(report);
  // "manual-action/MDN-sent-manually; displayed" -> displayed (modifiers after '/' dropped).
  const disposition = (fields.get('disposition') ?? '')
    .split(';')
    .slice(1)
    .join(';')
    .trim()
    .split(/[\s/]/)[0]
    .toLowerCase();
  const reader =
    addressOf(fields.get('final-recipient')) ?? addressOf(fields.get('original-recipient'));
  const originalMessageId =
    messageIds(fields.get('original-message-id'))[0] ??
    messageIds(headerOf(originalHeaders, 'message-id'))[0];
  return {
    disposition,
    read: disposition === 'displayed',
    ...(reader ? { reader } : {}),
    ...(originalMessageId ? { originalMessageId } : {}),
  };
}

function mergedFields(report: string): Map<string, string> {
  const merged = new Map<string, string>();
  for (const block of fieldBlocks(report)) {
    for (const [k, v] of block) if (!merged.has(k)) merged.set(k, v);
  }
  return merged;
}

/** One header of a header block (unfolded), or undefined. */
function headerOf(headers: string | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const head = headers.replace(/\r\n?/g, '\n').split(/\n\n/, 1)[0];
  const re = new RegExp(`^${name}:[ \\t]*(.*(?:\\n[ \\t].*)*)`, 'im');
  return re
    .exec(head)?.[1]
    ?.replace(/\n[ \t]+/g, ' ')
    .trim();
}

/** "rfc822; a@b", "<a@b>", "Name <a@b>" -> a@b (lower-cased). */
function addressOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bare = value.replace(/^[^;@]*;\s*/, '');
  const m = /<?([^\s<>;,"]+@[^\s<>;,"]+)>?/.exec(bare);
  return m ? m[1].toLowerCase() : undefined;
}
