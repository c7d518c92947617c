import { randomBytes } from 'node:crypto';

/** Twilio's JSON error body, as its REST API answers. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioError(code: number, status: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** The messages Twilio gives for the codes tests use most. */
export const KNOWN_ERROR_MESSAGES: Record<number, string> = {
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  21211: "The 'To' number is not a valid phone number.",
  21604: "A 'To' phone number is required.",
  21610: 'Attempt to send to unsubscribed recipient',
  21614: "'To' number is not a valid mobile number",
  30005: 'Unknown destination handset',
};

export function twilioSid(prefix: 'SM' | 'CA' | 'RE' | 'MM'): string {
  return prefix + randomBytes(16).toString('hex');
}

export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}
