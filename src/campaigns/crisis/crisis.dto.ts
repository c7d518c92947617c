import { z } from 'zod';
import { segmentSchema } from '../segment';
import { LEGAL_BASES } from './legal-basis';

/** POST /campaigns/crisis: a crisis broadcast (a draft, launched with a confirmation). */
export const createCrisisSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    segment: segmentSchema,
    template: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'template keys are letters, digits, . _ -')
      .describe('a template pre-approved for crisis broadcasts (CRISIS_TEMPLATES)'),
    data: z.record(z.string(), z.unknown()).optional(),
    topic: z.string().trim().min(1).max(100).default('crisis'),
    purpose: z.enum(['service', 'transactional']).default('service'),
    legalBasis: z
      .enum(LEGAL_BASES)
      .describe('the basis relied on for recipients who gave no consent for a channel'),
    ratePerSecond: z.number().int().min(1).max(100000).optional(),
  })
  .strict();
export type CreateCrisis = z.infer<typeof createCrisisSchema>;

/** POST /campaigns/:id/launch: a crisis broadcast's launch repeats its name in `confirm`. */
export const launchSchema = z
  .object({
    confirm: z
      .string()
      .max(200)
      .optional()
      .describe('a crisis broadcast: its name, exactly (ignored for other campaigns)'),
  })
  .strict();
export type LaunchBody = z.infer<typeof launchSchema>;

/** GET /campaigns/:id/proof-of-notice.csv */
export const proofQuerySchema = z.object({
  address: z
    .enum(['masked', 'full'])
    .default('masked')
    .describe('masked (default): 138****5678, c***@example.com; full: as sent (audited)'),
});
export type ProofQuery = z.infer<typeof proofQuerySchema>;
