import type {
  Attachment,
  InboundRequest,
  NormalizedInbound,
} from '../../src/channels/channel-port';
import { field, intField } from '../twilio-common/form-fields';
import { headerValue } from '../twilio-common/twilio-signature';
import { readInboundSmsKeyword } from './sms-keywords';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/mpeg': 'mp3',
  'audio/amr': 'amr',
  'application/pdf': 'pdf',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'text/plain': 'txt',
};

/** The last path segment of a media URL, with an extension from the content type if it has none. */
export function mediaFilename(url: string, contentType: string, index: number): string {
  let tail = '';
  try {
    tail = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '');
  } catch {
    tail = '';
  }
  const name = tail || `media-${index}`;
  const ext = EXTENSIONS[contentType.toLowerCase()];
  return ext && !name.includes('.') ? `${name}.${ext}` : name;
}

/** MediaUrl{N} / MediaContentType{N} for N < NumMedia -> attachments (size unknown: 0). */
export function smsAttachments(body: Record<string, unknown>): Attachment[] {
  const count = intField(body, 'NumMedia') ?? 0;
  const attachments: Attachment[] = [];
  for (let i = 0; i < count; i++) {
    const url = field(body, `MediaUrl${i}`);
    if (!url) continue;
    const contentType = field(body, `MediaContentType${i}`) ?? 'application/octet-stream';
    attachments.push({ url, contentType, filename: mediaFilename(url, contentType, i), size: 0 });
  }
  return attachments;
}

/** An inbound SMS/MMS webhook -> one NormalizedInbound (none when MessageSid or From is missing). */
export function normalizeSmsInbound(request: InboundRequest): NormalizedInbound[] {
  const body = request.body;
  const providerMessageId = field(body, 'MessageSid') ?? field(body, 'SmsMessageSid');
  const from = field(body, 'From');
  if (!providerMessageId || !from) return [];
  const text = field(body, 'Body') ?? '';
  const keyword = readInboundSmsKeyword(text, field(body, 'OptOutType'))?.keyword;
  const attachments = smsAttachments(body);
  return [
    {
      channel: 'sms',
      kind: 'message',
      from,
      to: field(body, 'To'),
      providerMessageId,
      text,
      ...(attachments.length ? { attachments } : {}),
      metadata: {
        keyword,
        idempotencyToken: headerValue(request.headers, 'i-twilio-idempotency-token'),
        accountSid: field(body, 'AccountSid'),
        messagingServiceSid: field(body, 'MessagingServiceSid'),
      },
    },
  ];
}
