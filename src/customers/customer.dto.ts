import { z } from 'zod';
import { CHANNELS, URGENCIES } from '../common/names';
import { timeZoneSchema } from '../common/time-zone';

const timezone = timeZoneSchema;
const locale = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag like en or zh-CN');
const tags = z.array(z.string().min(1).max(64)).max(100);
const attributes = z
  .record(z.string(), z.unknown())
  .refine((a) => JSON.stringify(a).length <= 32_768, 'larger than 32 KB');

export const IdentityInput = z.object({
  channel: z.enum(CHANNELS),
  address: z.string().min(1).max(320),
});

export const CreateCustomerBody = z.object({
  displayName: z.string().trim().min(1).max(200),
  locale: locale.optional(),
  timezone: timezone.optional(),
  identities: z.array(IdentityInput).max(50).default([]),
  attributes: attributes.optional(),
  tags: tags.optional(),
  tier: z.string().max(32).optional(),
});
export type CreateCustomerInput = z.infer<typeof CreateCustomerBody>;

export const UpdateCustomerBody = z
  .object({
    displayName: z.string().trim().min(1).max(200),
    locale,
    timezone,
    attributes,
    tags,
    tier: z.string().max(32).nullable(),
    identities: z.array(IdentityInput).max(50),
  })
  .partial()
  .strict();
export type UpdateCustomerInput = z.infer<typeof UpdateCustomerBody>;

export const MergeBody = z.object({ duplicateId: z.string().uuid() });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
export const PreferencesBody = z.object({
  matrix: z
    .array(
      z.object({
        topic: z.string().min(1).max(64),
        urgency: z.enum([...URGENCIES, '*'], {
          error: `must be one of ${URGENCIES.join(', ')} or *`,
        }),
        channels: z.array(z.enum(CHANNELS)).min(1).max(5),
      }),
    )
    .max(200),
  quietHours: z.object({ start: hhmm, end: hhmm }).nullable().optional(),
});

export const TimelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(64).optional(),
});

export const LookupQuery = z.object({ identity: z.string().min(3).max(340) });
