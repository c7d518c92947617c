import type { Attachment as ParsedAttachment } from 'mailparser';
import type { Attachment } from '../../src/channels/channel-port';

/** Report parts of a bounce: read by the bounce parser, never shown as files. */
const REPORT_PARTS = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'text/rfc822-headers',
  'message/rfc822-headers',
]);

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
 * The files a person attached (embedded HTML images are part of the body, not files). Files
 * larger than maxBytes are listed without content.
 */
export function inboundAttachments(
  parsed: readonly ParsedAttachment[],
  maxBytes: number,
  isBounce: boolean,
): InboundAttachments {
  const attachments: Attachment[] = [];
  const tooLarge: TooLargeAttachment[] = [];
  for (const part of parsed) {
    const contentType = part.contentType.toLowerCase();
    if (REPORT_PARTS.has(contentType) || (isBounce && contentType === 'message/rfc822')) continue;
    if (isEmbeddedImage(part)) continue;
    const filename =
      part.filename ?? `attachment-${attachments.length + 1}${extensionOf(contentType)}`;
    const base: Attachment = {
      filename,
      contentType,
      size: part.size,
      ...(part.contentId ? { contentId: part.contentId.replace(/^<|>$/g, '') } : {}),
    };
    if (part.size > maxBytes) {
      tooLarge.push({ index: attachments.length, filename, size: part.size });
      attachments.push(base);
    } else {
      attachments.push({ ...base, content: part.content });
    }
  }
  return { attachments, tooLarge };
}

/**
 * A picture the HTML shows (a cid: part of multipart/related, which the parser inlines into the
 * HTML as a data: URL). Parts sent as attachments, or inline outside multipart/related (Apple
 * Mail's photos), are real files.
 */
function isEmbeddedImage(part: ParsedAttachment): boolean {
  return (
    part.contentDisposition !== 'attachment' && Boolean(part.contentId) && part.related === true
  );
}

function extensionOf(contentType: string): string {
  const subtype = contentType.split('/')[1] ?? '';
  return /^[a-z0-9]{1,8}$/.test(subtype) ? `.${subtype}` : '';
}
