const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|[A-Za-z0-9._%+-]+@localhost\b/g;
const PHONE = /(?<![\w-])\+?\d[\d\s().-]{6,}\d(?![\w-])/g;
const UUID_LIKE = /^[0-9a-f-]{36}$/i;

/** Masks e-mail addresses and phone numbers in free text (log messages). */
export function redactText(s: string): string {
  return s
    .replace(EMAIL, '[email]')
    .replace(PHONE, (m) =>
      UUID_LIKE.test(m) || !/\d{7}/.test(m.replace(/\D/g, '')) ? m : '[phone]',
    );
}

/** Keys whose values never reach a log line, wherever they sit in a logged object. */
export const REDACTED_KEYS = [
  'email',
  'phone',
  'text',
  'html',
  'body',
  'subject',
  'address',
  'from',
  'to',
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'visitorToken',
  'authorization',
  'cookie',
  'x-twilio-signature',
  'x-webhook-secret',
];

export const REDACT_PATHS = [
  ...REDACTED_KEYS.map((k) => `*.${k}`),
  ...REDACTED_KEYS,
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-webhook-secret"]',
];
