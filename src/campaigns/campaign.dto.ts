import { z } from 'zod';
import { PURPOSES, URGENCIES } from '../common/names';
import { segmentSchema } from './segment';

const templateKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'template keys are letters, digits, . _ -');

export const createCampaignSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    segment: segmentSchema,
    topic: z.string().trim().min(1).max(100),
    purpose: z.enum(PURPOSES),
    urgency: z.enum(URGENCIES),
    template: templateKey,
    data: z.record(z.string(), z.unknown()).optional(),
    sendAt: z.string().datetime({ offset: true }).optional(),
    ratePerSecond: z.number().int().min(1).max(100000).optional(),
    batchSize: z.number().int().min(1).max(10000).optional(),
    /** A/B split: each recipient gets one variant template, drawn by weight (stable per customer). */
    variants: z
      .array(z.object({ template: templateKey, weight: z.number().positive().max(1000) }).strict())
      .min(2)
      .max(10)
      .optional(),
  })
  .strict();
export type CreateCampaign = z.infer<typeof createCampaignSchema>;

export const previewSegmentSchema = z.object({ segment: segmentSchema }).strict();
