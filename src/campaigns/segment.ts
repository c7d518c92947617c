/**
 * Segments: which customers a campaign addresses. One definition, two pure readings that must
 * agree: matchesSegment (a plain customer in memory) and segmentSql (a WHERE clause over
 * `customers c LEFT JOIN rfm_scores r`). An integration test checks they select the same rows.
 */
import { z } from 'zod';
import { CHANNELS, PURPOSES } from '../common/names';

const primitive = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'must be a string, a number, true, false or null',
});
const predicate = z
  .object({
    eq: primitive.optional(),
    ne: primitive.optional(),
    in: z.array(primitive).min(1).optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .refine(
    (p) => Object.keys(p).length > 0,
    'a predicate needs at least one operator (eq, ne, in, gt, gte, lt, lte, exists)',
  );

export const TIERS = ['core', 'potential', 'regular', 'edge'] as const;
export type Tier = (typeof TIERS)[number];

const score = z.number().int().min(1).max(5);

/** A consent state a segment can ask for: the latest ledger entry's status, or `none` without one. */
export const CONSENT_FILTER_STATUSES = ['granted', 'revoked', 'none'] as const;
export type ConsentFilterStatus = (typeof CONSENT_FILTER_STATUSES)[number];
const consentCondition = z
  .object({
    channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }),
    purpose: z.enum(PURPOSES, { error: `must be one of ${PURPOSES.join(', ')}` }),
    status: z.enum(CONSENT_FILTER_STATUSES, {
      error: `must be one of ${CONSENT_FILTER_STATUSES.join(', ')}`,
    }),
  })
  .strict();
export type ConsentCondition = z.infer<typeof consentCondition>;
export const segmentSchema = z
  .object({
    tags: z.array(z.string().min(1)).optional(),
    tier: z
      .union([z.enum(TIERS), z.array(z.enum(TIERS)).min(1)], {
        error: `must be one of ${TIERS.join(', ')}, or a list of them`,
      })
      .optional(),
    attributes: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'attribute names are letters, digits, _ . -'),
        predicate,
      )
      .optional(),
    /** Every condition holds: the latest consent per channel and purpose, as the ledger says. */
    consent: z.array(consentCondition).max(20).optional(),
    lastContactBefore: z.string().datetime({ offset: true }).optional(),
    lastContactAfter: z.string().datetime({ offset: true }).optional(),
    rfm: z
      .object({
        minR: score.optional(),
        minF: score.optional(),
        minM: score.optional(),
        churnRisk: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Segment = z.infer<typeof segmentSchema>;
export type Predicate = z.infer<typeof predicate>;

/** What a segment reads about a customer. tier: the RFM tier when scored, else the customer's own. */
export interface SegmentCustomer {
  tags: readonly string[];
  tier: string | null;
  attributes: Readonly<Record<string, unknown>>;
  lastContactAt: Date | null;
  rfm: { r: number; f: number; m: number; churnRisk: boolean } | null;
  /** The latest consent entry per channel and purpose (none listed: no entry). */
  consent?: ReadonlyArray<{ channel: string; purpose: string; status: 'granted' | 'revoked' }>;
}

/** The status a consent condition compares: the latest entry's, `none` without one. */
export function consentStatusOf(
  c: SegmentCustomer,
  channel: string,
  purpose: string,
): ConsentFilterStatus {
  return c.consent?.find((e) => e.channel === channel && e.purpose === purpose)?.status ?? 'none';
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function matchesPredicate(present: boolean, value: unknown, p: Predicate): boolean {
  if (p.exists !== undefined && p.exists !== present) return false;
  if (p.eq !== undefined && !(present && isPrimitive(value) && value === p.eq)) return false;
  if (p.ne !== undefined && present && isPrimitive(value) && value === p.ne) return false;
  if (p.in !== undefined && !(present && isPrimitive(value) && p.in.includes(value as never)))
    return false;
  const n = typeof value === 'number' && present ? value : null;
  if (p.gt !== undefined && !(n !== null && n > p.gt)) return false;
  if (p.gte !== undefined && !(n !== null && n >= p.gte)) return false;
  if (p.lt !== undefined && !(n !== null && n < p.lt)) return false;
  if (p.lte !== undefined && !(n !== null && n <= p.lte)) return false;
  return true;
}

export function matchesSegment(c: SegmentCustomer, s: Segment): boolean {
  if (s.tags && !s.tags.every((t) => c.tags.includes(t))) return false;
  if (s.tier !== undefined) {
    const tiers: readonly string[] = Array.isArray(s.tier) ? s.tier : [s.tier];
    if (c.tier === null || !tiers.includes(c.tier)) return false;
  }
  for (const [key, p] of Object.entries(s.attributes ?? {})) {
    if (
      !matchesPredicate(
        Object.prototype.hasOwnProperty.call(c.attributes, key),
        c.attributes[key],
        p,
      )
    )
      return false;
  }
  for (const k of s.consent ?? [])
    if (consentStatusOf(c, k.channel, k.purpose) !== k.status) return false;
  if (
    s.lastContactBefore &&
    !(c.lastContactAt !== null && c.lastContactAt.getTime() < Date.parse(s.lastContactBefore))
  )
    return false;
  if (
    s.lastContactAfter &&
    !(c.lastContactAt !== null && c.lastContactAt.getTime() > Date.parse(s.lastContactAfter))
  )
    return false;
  if (s.rfm) {
    const r = c.rfm;
    if (r === null) return false;
    if (s.rfm.minR !== undefined && r.r < s.rfm.minR) return false;
    if (s.rfm.minF !== undefined && r.f < s.rfm.minF) return false;
    if (s.rfm.minM !== undefined && r.m < s.rfm.minM) return false;
    if (s.rfm.churnRisk !== undefined && r.churnRisk !== s.rfm.churnRisk) return false;
  }
  return true;
}

export interface SqlFragment {
  where: string;
  params: unknown[];
}

/** The same segment as SQL over `customers c LEFT JOIN rfm_scores r ON r.customer_id = c.id`; $n start after `offset`. */
export function segmentSql(s: Segment, offset = 0): SqlFragment {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${offset + params.length}`;
  };
  const and: string[] = ['c.erased_at IS NULL', 'c.merged_into_id IS NULL'];
  if (s.tags && s.tags.length > 0) and.push(`c.tags @> ${p(s.tags)}::text[]`);
  if (s.tier !== undefined) {
    // With an RFM condition only scored customers match, whose tier is r.tier (NOT NULL): said
    // so, the partial index rfm_scores_at_risk (tier, customer_id) answers `{tier, rfm:
    // {churnRisk: true}}`.
    const tier = s.rfm ? 'r.tier' : 'COALESCE(r.tier, c.tier)';
    and.push(`${tier} = ANY(${p(Array.isArray(s.tier) ? s.tier : [s.tier])}::text[])`);
  }
  for (const [key, pred] of Object.entries(s.attributes ?? {})) {
    const k = p(key);
    const v = `(c.attributes -> ${k})`;
    const prim = `jsonb_typeof(${v}) IN ('string','number','boolean','null')`;
    const num = `(CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::text::numeric END)`;
    if (pred.exists !== undefined)
      and.push(pred.exists ? `c.attributes ? ${k}` : `NOT (c.attributes ? ${k})`);
    if (pred.eq !== undefined)
      and.push(`(${prim} AND ${v} = ${p(JSON.stringify(pred.eq))}::jsonb)`);
    if (pred.ne !== undefined)
      and.push(`NOT COALESCE(${prim} AND ${v} = ${p(JSON.stringify(pred.ne))}::jsonb, false)`);
    if (pred.in !== undefined)
      and.push(`(${prim} AND ${p(JSON.stringify(pred.in))}::jsonb @> jsonb_build_array(${v}))`);
    if (pred.gt !== undefined) and.push(`${num} > ${p(pred.gt)}`);
    if (pred.gte !== undefined) and.push(`${num} >= ${p(pred.gte)}`);
    if (pred.lt !== undefined) and.push(`${num} < ${p(pred.lt)}`);
    if (pred.lte !== undefined) and.push(`${num} <= ${p(pred.lte)}`);
  }
  // The latest entry per customer, channel and purpose: one probe of consents_latest each.
  for (const k of s.consent ?? [])
    and.push(
      `COALESCE((SELECT x.status FROM consents x WHERE x.customer_id = c.id AND x.channel = ${p(k.channel)} AND x.purpose = ${p(k.purpose)} ORDER BY x.seq DESC LIMIT 1), 'none') = ${p(k.status)}`,
    );
  if (s.lastContactBefore) and.push(`c.last_contact_at < ${p(s.lastContactBefore)}::timestamptz`);
  if (s.lastContactAfter) and.push(`c.last_contact_at > ${p(s.lastContactAfter)}::timestamptz`);
  if (s.rfm) {
    and.push('r.customer_id IS NOT NULL');
    if (s.rfm.minR !== undefined) and.push(`r.r_score >= ${p(s.rfm.minR)}`);
    if (s.rfm.minF !== undefined) and.push(`r.f_score >= ${p(s.rfm.minF)}`);
    if (s.rfm.minM !== undefined) and.push(`r.m_score >= ${p(s.rfm.minM)}`);
    // A literal, not a parameter: the partial index rfm_scores_at_risk answers it.
    if (s.rfm.churnRisk !== undefined)
      and.push(s.rfm.churnRisk ? 'r.churn_risk' : 'NOT r.churn_risk');
  }
  return { where: and.join(' AND '), params };
}
