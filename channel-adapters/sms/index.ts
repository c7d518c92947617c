export { TwilioSmsAdapter } from './twilio-sms.adapter';
export type { TwilioSmsAdapterOptions } from './twilio-sms.adapter';
export {
  detectSmsKeyword,
  keywordFromOptOutType,
  readInboundSmsKeyword,
  readSmsKeyword,
} from './sms-keywords';
export type { SmsKeyword, SmsKeywordLanguage, SmsKeywordReading } from './sms-keywords';
export { mapTwilioMessageStatus, parseSmsStatus } from './sms-status';
export { normalizeSmsInbound, smsAttachments, mediaFilename } from './sms-inbound';
export { twimlResponse, stripXmlDeclaration } from './twiml-response';
