// The filter editor's model: what the form holds (rows may be half typed), and the segment
// definition it stands for. Pure, so the contacts list and the campaign builder share it.
import type { BodyOf } from '../../api/answers';

export type Segment = BodyOf<'/api/v1/segments', 'post'>['definition'];
type Predicate = NonNullable<Segment['attributes']>[string];
type Primitive = string | number | boolean | null;

export const TIER_NAMES = ['core', 'potential', 'regular', 'edge'] as const;
export type TierName = (typeof TIER_NAMES)[number];
export const FILTER_CHANNELS = ['email', 'sms', 'voice', 'wechat', 'livechat', 'whatsapp'] as const;
export const FILTER_PURPOSES = ['marketing', 'service', 'transactional'] as const;
export const CONSENT_STATES = ['granted', 'revoked', 'none'] as const;
export const ATTRIBUTE_OPS = [
  'eq',
  'ne',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'missing',
] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];

export interface AttributeRow {
  key: string;
  op: AttributeOp;
  value: string;
}
export interface ConsentRow {
  channel: (typeof FILTER_CHANNELS)[number];
  purpose: (typeof FILTER_PURPOSES)[number];
  status: (typeof CONSENT_STATES)[number];
}

export interface FilterDraft {
  tags: string;
  tiers: TierName[];
  attributes: AttributeRow[];
  consent: ConsentRow[];
  /** yyyy-mm-dd, '' for none. */
  lastContactBefore: string;
  lastContactAfter: string;
  churn: 'any' | 'atRisk' | 'notAtRisk';
  /** RFM score floors the form does not edit, kept as loaded. */
  rfmScores: { minR?: number; minF?: number; minM?: number };
}

export const EMPTY_DRAFT: FilterDraft = {
  tags: '',
  tiers: [],
  attributes: [],
  consent: [],
  lastContactBefore: '',
  lastContactAfter: '',
  churn: 'any',
  rfmScores: {},
};

/** A typed value as JSON reads it: true, false, null, a number, else the text. */
function typedValue(raw: string): Primitive {
  const s = raw.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  return raw;
}

const NUMERIC: ReadonlySet<AttributeOp> = new Set(['gt', 'gte', 'lt', 'lte']);

/** The segment the form stands for; rows not filled in yet are left out. */
export function draftToSegment(d: FilterDraft): Segment {
  const s: Segment = {};
  const tags = d.tags
    .split(/[,，\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
  if (tags.length > 0) s.tags = tags;
  if (d.tiers.length === 1) s.tier = d.tiers[0];
  else if (d.tiers.length > 1) s.tier = [...d.tiers];
  const attributes: Record<string, Predicate> = {};
  for (const row of d.attributes) {
    const key = row.key.trim();
    if (!key) continue;
    const p: Record<string, unknown> = { ...(attributes[key] ?? {}) };
    if (row.op === 'exists') p.exists = true;
    else if (row.op === 'missing') p.exists = false;
    else if (row.op === 'in') {
      const values = row.value
        .split(/[,，]/)
        .map((v) => v.trim())
        .filter(Boolean)
        .map(typedValue);
      if (values.length === 0) continue;
      p.in = values;
    } else if (NUMERIC.has(row.op)) {
      const n = Number(row.value);
      if (row.value.trim() === '' || !Number.isFinite(n)) continue;
      p[row.op] = n;
    } else {
      if (row.value === '') continue;
      p[row.op] = typedValue(row.value);
    }
    attributes[key] = p as Predicate;
  }
  if (Object.keys(attributes).length > 0) s.attributes = attributes;
  if (d.consent.length > 0) s.consent = d.consent.map((c) => ({ ...c }));
  if (d.lastContactBefore) s.lastContactBefore = `${d.lastContactBefore}T00:00:00.000Z`;
  if (d.lastContactAfter) s.lastContactAfter = `${d.lastContactAfter}T00:00:00.000Z`;
  const rfm: NonNullable<Segment['rfm']> = { ...d.rfmScores };
  if (d.churn !== 'any') rfm.churnRisk = d.churn === 'atRisk';
  if (Object.keys(rfm).length > 0) s.rfm = rfm;
  return s;
}

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The form for a saved definition. */
export function segmentToDraft(s: Segment): FilterDraft {
  const attributes: AttributeRow[] = [];
  for (const [key, p] of Object.entries(s.attributes ?? {})) {
    const pred = p as Record<string, unknown>;
    for (const op of ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const)
      if (pred[op] !== undefined) attributes.push({ key, op, value: shown(pred[op]) });
    if (pred.in !== undefined)
      attributes.push({ key, op: 'in', value: (pred.in as unknown[]).map(shown).join(', ') });
    if (pred.exists !== undefined)
      attributes.push({ key, op: pred.exists ? 'exists' : 'missing', value: '' });
  }
  const { churnRisk, ...rfmScores } = s.rfm ?? {};
  return {
    tags: (s.tags ?? []).join(', '),
    tiers: s.tier === undefined ? [] : Array.isArray(s.tier) ? [...s.tier] : [s.tier],
    attributes,
    consent: (s.consent ?? []).map((c) => ({ ...c })),
    lastContactBefore: s.lastContactBefore ? s.lastContactBefore.slice(0, 10) : '',
    lastContactAfter: s.lastContactAfter ? s.lastContactAfter.slice(0, 10) : '',
    churn: churnRisk === undefined ? 'any' : churnRisk ? 'atRisk' : 'notAtRisk',
    rfmScores,
  };
}

/** How many filters the form sets (for a summary). */
export function filterCount(s: Segment): number {
  return (
    (s.tags?.length ? 1 : 0) +
    (s.tier !== undefined ? 1 : 0) +
    Object.keys(s.attributes ?? {}).length +
    (s.consent?.length ?? 0) +
    (s.lastContactBefore ? 1 : 0) +
    (s.lastContactAfter ? 1 : 0) +
    (s.rfm ? 1 : 0)
  );
}
