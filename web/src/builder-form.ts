// The campaign builder's form as plain data: what it sends (POST /api/v1/campaigns) and which
// field a server error names. Pure.
import type { BodyOf } from './api/answers';

export type CreateCampaignBody = BodyOf<'/api/v1/campaigns', 'post'>;
export type Segment = CreateCampaignBody['segment'];
export type Purpose = CreateCampaignBody['purpose'];
export type Urgency = CreateCampaignBody['urgency'];

export const PURPOSES: Purpose[] = ['marketing', 'transactional', 'service'];
export const URGENCIES: Urgency[] = ['low', 'normal', 'high', 'critical'];
export const TIERS = ['core', 'potential', 'regular', 'edge'] as const;
export type Tier = (typeof TIERS)[number];

export interface VariantRow {
  template: string;
  weight: number;
}

export interface BuilderForm {
  name: string;
  segment: Segment;
  template: string;
  topic: string;
  purpose: Purpose;
  urgency: Urgency;
  ab: boolean;
  variants: VariantRow[];
  /** A datetime-local value in the marketer's time zone; '' = when launched. */
  sendAt: string;
  ratePerSecond: string;
}

export const emptyForm = (): BuilderForm => ({
  name: '',
  segment: {},
  template: '',
  topic: '',
  purpose: 'marketing',
  urgency: 'normal',
  ab: false,
  variants: [
    { template: '', weight: 50 },
    { template: '', weight: 50 },
  ],
  sendAt: '',
  ratePerSecond: '',
});

/** The simple filters' segment: tags (all of them), tiers, churn risk; empty parts left out. */
export function filterSegment(tags: string, tiers: readonly Tier[], churnRisk: boolean): Segment {
  const list = tags
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    ...(list.length > 0 ? { tags: list } : {}),
    ...(tiers.length > 0 ? { tier: [...tiers] } : {}),
    ...(churnRisk ? { rfm: { churnRisk: true } } : {}),
  };
}

/** A datetime-local value ("2026-12-03T09:30", the browser's zone) as an ISO instant; '' -> undefined. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function toBody(f: BuilderForm): CreateCampaignBody {
  const rate = f.ratePerSecond.trim() === '' ? undefined : Number(f.ratePerSecond);
  const sendAt = localToIso(f.sendAt);
  const template = f.ab ? (f.variants[0]?.template ?? '') : f.template;
  return {
    name: f.name.trim(),
    segment: f.segment,
    template,
    topic: f.topic.trim(),
    purpose: f.purpose,
    urgency: f.urgency,
    ...(f.ab
      ? { variants: f.variants.map((v) => ({ template: v.template, weight: v.weight })) }
      : {}),
    ...(sendAt ? { sendAt } : {}),
    ...(rate !== undefined ? { ratePerSecond: rate } : {}),
  };
}

export type Field =
  | 'name'
  | 'segment'
  | 'template'
  | 'topic'
  | 'purpose'
  | 'urgency'
  | 'variants'
  | 'sendAt'
  | 'ratePerSecond';
const FIELDS = new Set<string>([
  'name',
  'segment',
  'template',
  'topic',
  'purpose',
  'urgency',
  'variants',
  'sendAt',
  'ratePerSecond',
]);

/**
 * A server message ("purpose: template x may be sent for service, not marketing", or zod's
 * "name: too small; segment.tier: must be …") split by the field each part names; parts naming
 * no field of the form under `general`.
 */
export function fieldErrors(message: string): Partial<Record<Field | 'general', string>> {
  const out: Partial<Record<Field | 'general', string>> = {};
  for (const part of message.split('; ')) {
    const m = /^([A-Za-z]+)[\w.]*: (.+)$/s.exec(part);
    const key = m && FIELDS.has(m[1]) ? (m[1] as Field) : 'general';
    const text = key === 'general' ? part : part;
    out[key] = out[key] ? `${out[key]}; ${text}` : text;
  }
  return out;
}

/** Each variant's share of the split, 0..1. */
export function shares(variants: readonly VariantRow[]): number[] {
  const total = variants.reduce((s, v) => s + (v.weight > 0 ? v.weight : 0), 0);
  return variants.map((v) => (total > 0 && v.weight > 0 ? v.weight / total : 0));
}
