import { ChannelSendError } from '../../src/channels/channel-port';

/** The fields nodemailer puts on its errors (and Node puts on socket errors). */
export interface SmtpErrorLike {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
}

const AUTH_CODES = new Set([530, 534, 535, 538]);
const AUTH_ERRORS = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2']);
const CONNECTION_ERRORS = new Set([
  'ECONNECTION',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EPROXY',
  'ETLS',
]);
const PERMANENT_ERRORS = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EFILEACCESS', 'EURLACCESS']);

/**
 * A nodemailer/SMTP failure as one of the port's error classes:
 * 535 (and other auth replies) -> auth; 5xx (550/551/553 mailbox...) -> permanent, except 503
 * (bad command sequence, retryable on a new connection); 4xx and connection errors -> transient.
 */
export function classifySmtpError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  const e: SmtpErrorLike =
    typeof err === 'object' && err !== null ? (err as SmtpErrorLike) : { message: String(err) };
  const message = e.response ?? e.message ?? 'SMTP send failed';
  const code = e.responseCode;
  if (code !== undefined) {
    const providerCode = String(code);
    if (AUTH_CODES.has(code)) return new ChannelSendError('auth', message, providerCode);
    if (code >= 500 && code !== 503)
      return new ChannelSendError('permanent', message, providerCode);
    if (code >= 400 || code === 503)
      return new ChannelSendError('transient', message, providerCode);
  }
  const names = [e.originalCode, e.code].filter((c): c is string => typeof c === 'string');
  const providerCode = names[0] ?? (code !== undefined ? String(code) : undefined);
  if (names.some((n) => AUTH_ERRORS.has(n)))
    return new ChannelSendError('auth', message, providerCode);
  if (names.some((n) => CONNECTION_ERRORS.has(n)))
    return new ChannelSendError('transient', message, providerCode);
  if (names.some((n) => PERMANENT_ERRORS.has(n)))
    return new ChannelSendError('permanent', message, providerCode);
  return new ChannelSendError('unknown', message, providerCode);
}
