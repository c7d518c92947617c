import { z } from 'zod';
import { segmentSchema, TIERS, type Segment } from '../campaigns/segment';
import { DomainError } from '../common/errors/domain-error';

/**
 * The segment of a contacts query: its definition as JSON in one query parameter
 * (`segment={"tags":["vip"]}` URL-encoded), so the list and its CSV export are plain GETs that
 * share one link. A bad field is named under `segment.` (`segment.tier: must be one of ...`).
 */
const segmentParam = z
  .string()
  .max(8000)
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON (a segment definition, URL-encoded)' });
      return z.NEVER;
    }
  })
  .pipe(segmentSchema)
  .describe('The segment definition as JSON (as saved segments hold it); none: every customer');

const q = z
  .string()
  .trim()
  .max(200)
  .optional()
  .describe('Free text: part of a name, e-mail address, WeChat id or phone number');

export const contactsFilterQuery = z.object({ segment: segmentParam.optional(), q }).strict();

export const contactsPageQuery = contactsFilterQuery
  .extend({
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ContactsPageQuery = z.infer<typeof contactsPageQuery>;
export type ContactsFilter = z.infer<typeof contactsFilterQuery>;

export const atRiskQuery = z
  .object({
    tier: z.enum(TIERS, { error: `must be one of ${TIERS.join(', ')}` }).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type AtRiskQuery = z.infer<typeof atRiskQuery>;

/** The segment a tier's at-risk list is, and the one "Make segment" saves. */
export function atRiskSegment(tier: AtRiskQuery['tier']): Segment {
  return tier ? { tier, rfm: { churnRisk: true } } : { rfm: { churnRisk: true } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A keyset cursor: the last customer id of the page, opaque to clients. */
export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeIdCursor(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  const id = Buffer.from(raw, 'base64url').toString('utf8');
  if (!UUID.test(id))
    throw new DomainError('bad_request', 'cursor: not a cursor this API returned');
  return id;
}
