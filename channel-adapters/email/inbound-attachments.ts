import { createHash } from 'node:crypto';
import type { Attachment } from '../../src/channels/channel-port';
import { decodeUuencodedPart } from './uuencode';

/** Report parts of a bounce, complaint or receipt: read by the report parsers, never shown as files. */
const REPORT_PARTS = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/feedback-report',
  'message/disposition-notification',
  'message/global-disposition-notification',
  'text/rfc822-headers',
  'message/rfc822-headers',
]);
const OCTET_STREAM = 'application/octet-stream';

/** The part fields read here (mailparser's Attachment, or a file cut out of a uuencoded body). */
export interface InboundPart {
  filename?: string;
  contentType?: unknown;
  content: Buffer;
  size?: number;
  contentId?: string;
  contentDisposition?: string;
  related?: boolean;
  headers?: ReadonlyMap<string, unknown>;
}

export interface TooLargeAttachment {
  index: number;
  filename: string;
  size: number;
}

export interface InboundAttachments {
  attachments: Attachment[];
  tooLarge: TooLargeAttachment[];
}

/**
 * The files a person attached (embedded HTML images are part of the body, not files). A part
 * with a missing or empty type is application/octet-stream; a uuencoded part is decoded; the
 * same content twice (a calendar invite as text/calendar and as invite.ics) is listed once.
 * Files larger than maxBytes are listed without content.
 */
export function inboundAttachments(
  parsed: readonly InboundPart[],
  maxBytes: number,
  isReport: boolean,
): InboundAttachments {
  const attachments: Attachment[] = [];
  const tooLarge: TooLargeAttachment[] = [];
  const seen = new Map<string, number>();
  for (const part of parsed) {
    const declared = typeOf(part.contentType);
    if (REPORT_PARTS.has(declared) || (isReport && declared === 'message/rfc822')) continue;
    if (isEmbeddedImage(part)) continue;
    const uu = isUuencoded(part) ? decodeUuencodedPart(part.content) : null;
    const content = uu?.content ?? part.content;
    const contentType = declared === '' ? OCTET_STREAM : declared;
    const key = createHash('sha256').update(content).digest('hex');
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      // Keep the copy that has a name of its own (invite.ics over attachment-1.calendar).
      if (part.filename && attachments[earlier].filename.startsWith('attachment-'))
        attachments[earlier] = { ...attachments[earlier], filename: part.filename };
      continue;
    }
    const filename =
      part.filename ??
      uu?.filename ??
      `attachment-${attachments.length + 1}${extensionOf(contentType)}`;
    const base: Attachment = {
      filename,
      contentType,
      size: content.length,
      ...(part.contentId ? { contentId: part.contentId.replace(/^<|>$/g, '') } : {}),
    };
    seen.set(key, attachments.length);
    if (content.length > maxBytes) {
      tooLarge.push({ index: attachments.length, filename, size: content.length });
      attachments.push(base);
    } else {
      attachments.push({ ...base, content });
    }
  }
  return { attachments, tooLarge };
}

function typeOf(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

function isUuencoded(part: InboundPart): boolean {
  const cte = part.headers?.get('content-transfer-encoding');
  if (typeof cte === 'string' && /uuencode|uue/i.test(cte)) return true;
  return /^\s*begin [0-7]{3,4} \S/.test(part.content.subarray(0, 300).toString('latin1'));
}

/**
 * A picture the HTML shows (a cid: part of multipart/related, which the parser inlines into the
 * HTML as a data: URL). Parts sent as attachments, or inline outside multipart/related (Apple
 * Mail's photos), are real files.
 */
function isEmbeddedImage(part: InboundPart): boolean {
  return (
    part.contentDisposition !== 'attachment' && Boolean(part.contentId) && part.related === true
  );
}

function extensionOf(contentType: string): string {
  const subtype = contentType.split('/')[1] ?? '';
  return /^[a-z0-9]{1,8}$/.test(subtype) ? `.${subtype}` : '';
}
