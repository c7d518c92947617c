/**
 * The preference page's form posts, validated. Messages are catalog keys, so the page names the
 * problem in the customer's language.
 */
import { z } from 'zod';
import { CHANNELS, PURPOSES, URGENCIES } from '../common/names';
import { isIanaTimeZone } from '../common/time-zone';
import type { MessageKey } from '../customer-texts/catalog';

const key = (k: MessageKey) => ({ message: k });
const channel = z.enum(CHANNELS, key('bad.channel'));
const laterChannel = z.union([z.literal(''), channel], key('bad.channel')).default('');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, key('bad.time'));
const lang = z.string().max(8).optional();

/** A topic as the matrix stores it: `*`, or a short name of letters, digits, spaces, dots, dashes. */
const topic = z
  .string(key('bad.topic'))
  .trim()
  .min(1, key('bad.topic'))
  .max(64, key('bad.topic'))
  .regex(/^(\*|[\p{L}\p{N}][\p{L}\p{N} ._-]*)$/u, key('bad.topic'));

export const MatrixForm = z
  .object({
    lang,
    action: z.enum(['add', 'save', 'remove'], key('bad.form')),
    row: z
      .string()
      .regex(/^\d{1,3}$/, key('bad.row'))
      .optional(),
    was: z.string().max(200, key('bad.row')).optional(),
    topic,
    urgency: z.enum([...URGENCIES, '*'], key('bad.urgency')),
    channel1: channel,
    channel2: laterChannel,
    channel3: laterChannel,
  })
  .refine((f) => f.action === 'add' || (f.row !== undefined && f.was !== undefined), {
    ...key('bad.row'),
    path: ['row'],
  })
  .transform((f) => {
    const picked = [f.channel1, f.channel2, f.channel3].filter((c) => c !== '');
    return { ...f, channels: picked as Array<(typeof CHANNELS)[number]> };
  })
  .refine((f) => new Set(f.channels).size === f.channels.length, {
    ...key('bad.channel'),
    path: ['channel2'],
  });
export type MatrixFormInput = z.infer<typeof MatrixForm>;

export const QuietHoursForm = z
  .object({
    lang,
    off: z.literal('1', key('bad.form')).optional(),
    quietStart: z.union([z.literal(''), hhmm]).default(''),
    quietEnd: z.union([z.literal(''), hhmm]).default(''),
    timezone: z
      .string(key('bad.timezone'))
      .max(64, key('bad.timezone'))
      .refine(isIanaTimeZone, key('bad.timezone')),
  })
  .refine((f) => f.off === '1' || (f.quietStart !== '' && f.quietEnd !== ''), {
    ...key('bad.time'),
    path: ['quietStart'],
  });
export type QuietHoursFormInput = z.infer<typeof QuietHoursForm>;

export const ConsentForm = z.object({
  lang,
  channel,
  purpose: z.enum(PURPOSES, key('bad.purpose')),
  status: z.enum(['granted', 'revoked'], key('bad.status')),
});
export type ConsentFormInput = z.infer<typeof ConsentForm>;

/** A form body (urlencoded) as an object of its first values; anything else reads as empty. */
export function formFields(
  raw: Buffer | undefined,
  contentType: string | undefined,
): Record<string, string> {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!raw || type !== 'application/x-www-form-urlencoded') return {};
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw.toString('utf8')))
    if (!(name in fields)) fields[name] = value;
  return fields;
}

/** The first problem of a failed parse, as a catalog key and the field it concerns. */
export function firstProblem(error: z.ZodError): { key: string; field: string } {
  const issue = error.issues[0];
  return { key: issue?.message ?? 'bad.form', field: issue?.path.join('.') ?? '' };
}
