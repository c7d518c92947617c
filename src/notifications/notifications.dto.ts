import { z } from 'zod';

export const NotificationsQuery = z.object({
  unread: z
    .enum(['true', 'false'], { error: 'unread: true or false' })
    .transform((v) => v === 'true')
    .optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const ReadBody = z
  .object({
    ids: z.array(z.uuid()).min(1).max(500).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => (b.ids ? 1 : 0) + (b.all ? 1 : 0) === 1, 'give either ids or all: true');
