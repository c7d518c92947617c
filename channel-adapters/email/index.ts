/** The email channel: inbound MIME parsing, the live SMTP transport and the SMTP receiver. */
export {
  parseInboundEmail,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  type ParseInboundOptions,
} from './parse-inbound';
export { stripQuotedText } from './strip-quoted';
export { isAutoReply } from './auto-reply';
export { parseDeliveryStatus, type BounceInfo } from './bounce';
export { type FeedbackInfo, type ReceiptInfo } from './feedback-reports';
export { parsePlainBounce } from './plain-bounce';
export { startsWithHeader, tidyRaw } from './raw-message';
export type { TooLargeAttachment } from './inbound-attachments';
export { buildMailOptions, outboundMessageId, type MailOptionsConfig } from './mail-options';
export { classifySmtpError } from './smtp-errors';
export { SmtpEmailAdapter, type SmtpEmailAdapterOptions } from './smtp-email-adapter';
export { EmailReceiver, type EmailEnvelope, type EmailReceiverOptions } from './email-receiver';
export { verifyInboundSecret } from './inbound-secret';
