import { z } from 'zod';
import { CHANNELS, PURPOSES, URGENCIES } from '../common/names';

export const SendMessageBody = z.object({
  customerId: z.string().uuid(),
  topic: z.string().min(1).max(100),
  urgency: z.enum(URGENCIES),
  purpose: z.enum(PURPOSES),
  template: z.string().min(1).max(100),
  data: z.record(z.string(), z.unknown()).default({}),
  channel: z.enum(CHANNELS).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type SendMessage = z.infer<typeof SendMessageBody>;

/** The route as stored with the message and answered to the caller. */
export type { RouteView } from '../routing/route-view';
