import { ChannelSendError } from '../../src/channels/channel-port';

/** Twilio codes meaning the recipient can never receive this message as addressed. */
const PERMANENT_CODES = new Set([
  21211, // invalid To
  21214, // To cannot be reached
  21217, // invalid phone number
  21408, // region not enabled
  21612, // cannot route to this number
  21614, // To is not a mobile number
  21606, // From is not a valid, SMS-capable number
  21604, // required parameter missing
  30003, // unreachable handset
  30005, // unknown destination
  30006, // landline or unreachable carrier
  30007, // filtered as spam
]);
const OPT_OUT_CODE = 21610;
const AUTH_CODES = new Set([20003, 20404, 20005]);
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
]);

interface ErrorShape {
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * Turns whatever the twilio SDK threw (RestException {status, code}, an axios/network error)
 * into the port's error class: 21610 is an opt-out, invalid/landline numbers are permanent,
 * bad credentials are 'auth', 429/5xx/network are transient.
 */
export function classifyTwilioError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  const shape: ErrorShape = typeof err === 'object' && err !== null ? (err as ErrorShape) : {};
  const message = typeof shape.message === 'string' && shape.message ? shape.message : String(err);
  const status = typeof shape.status === 'number' ? shape.status : undefined;
  const code = typeof shape.code === 'number' ? shape.code : Number(shape.code);
  const providerCode = Number.isFinite(code)
    ? String(code)
    : typeof shape.code === 'string'
      ? shape.code
      : undefined;

  if (code === OPT_OUT_CODE) return new ChannelSendError('permanent', message, providerCode, true);
  if (PERMANENT_CODES.has(code)) return new ChannelSendError('permanent', message, providerCode);
  if (AUTH_CODES.has(code) || status === 401 || status === 403) {
    return new ChannelSendError('auth', message, providerCode);
  }
  if (status === 408 || status === 429 || (status !== undefined && status >= 500)) {
    return new ChannelSendError('transient', message, providerCode ?? String(status));
  }
  if (typeof shape.code === 'string' && NETWORK_ERRORS.has(shape.code)) {
    return new ChannelSendError('transient', message, shape.code);
  }
  if (status !== undefined && status >= 400)
    return new ChannelSendError('permanent', message, providerCode);
  return new ChannelSendError('unknown', message, providerCode);
}
