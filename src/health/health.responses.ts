import { z } from 'zod';
import { CHANNELS } from '../common/names';

/** The shapes the health and channel status routes answer with, for the OpenAPI document. */
const PartHealth = z
  .looseObject({
    status: z.enum(['up', 'down', 'degraded']),
    message: z.string().optional(),
  })
  .meta({ description: 'what the part says about itself: status, the rest as it gives it' });

export const HealthResponse = z.object({
  statusCode: z.literal(503).optional(),
  status: z.enum(['ok', 'error']),
  info: z.record(z.string(), PartHealth).optional(),
  error: z.record(z.string(), PartHealth).optional(),
  details: z
    .record(z.string(), PartHealth)
    .optional()
    .meta({ description: 'info, error and details only with the operations token' }),
  message: z.string().optional().meta({ description: 'each part that is down, and why' }),
});

const PROVIDER_HEALTH = ['up', 'degraded', 'down'] as const;

export const ChannelStatusResponse = z.object({
  publicUrl: z.string(),
  items: z.array(
    z.object({
      channel: z.enum(CHANNELS),
      transport: z.enum(['sandbox', 'live']),
      health: z.enum(PROVIDER_HEALTH),
      circuit: z.enum(PROVIDER_HEALTH),
      webhooks: z.array(
        z.object({ purpose: z.enum(['incoming', 'status', 'call-status']), url: z.string() }),
      ),
    }),
  ),
});
