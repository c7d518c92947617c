/**
 * What a dry run counts: the plans of a campaign's batches (RecipientPlanner.plan, exactly what
 * the fan-out writes) summed per channel (now, held by quiet hours, gathered into a digest) and
 * per suppression, with a sample of customers and their routing reasons. Pure.
 */
import { CHANNELS, type Channel } from '../common/names';
import { LANGUAGES, type Language } from '../customer-texts/catalog';
import { explainRoute } from '../customer-texts/route-explanations';
import type { Suppression } from '../routing/decision';
import type { BatchCustomer } from './batch-context.loader';
import type { BatchPlan } from './recipient-planner';

export const SUPPRESSIONS: readonly Suppression[] = [
  'noConsent',
  'quietHours',
  'frequencyCap',
  'noChannel',
  'contactBudget',
];

export type Outcome = 'now' | 'held' | 'digest' | 'suppressed';

export interface SampleRow {
  customerId: string;
  name: string | null;
  timezone: string;
  outcome: Outcome;
  channel: Channel | null;
  suppression: Suppression | null;
  variant: string | null;
  /** When it goes: a held send's time, a gathered one's digest due time; null = now / never. */
  sendAt: string | null;
  reasons: string[];
  /** The reasons in plain words (customer-texts), per language; empty where none is known. */
  explanation: Record<Language, string[]>;
}

export interface DryRunTally {
  recipients: number;
  byChannel: Record<Channel, { now: number; held: number; digest: number }>;
  suppressed: Record<Suppression, number> & { total: number };
  /** Sends held by quiet hours, and the earliest and latest time they go. */
  held: { count: number; earliest: string | null; latest: string | null };
  variants: Record<string, number>;
  sample: SampleRow[];
}

export function emptyTally(): DryRunTally {
  const byChannel = {} as DryRunTally['byChannel'];
  for (const c of CHANNELS) byChannel[c] = { now: 0, held: 0, digest: 0 };
  const suppressed = { total: 0 } as DryRunTally['suppressed'];
  for (const s of SUPPRESSIONS) suppressed[s] = 0;
  return {
    recipients: 0,
    byChannel,
    suppressed,
    held: { count: 0, earliest: null, latest: null },
    variants: {},
    sample: [],
  };
}

function explain(row: Omit<SampleRow, 'explanation'>): Record<Language, string[]> {
  const out = {} as Record<Language, string[]>;
  for (const lang of LANGUAGES) {
    const facts = {
      channel: row.channel ?? '',
      urgency: null,
      reasons: row.reasons,
      timezone: row.timezone,
      preview: true,
    };
    const lines = explainRoute(lang, facts);
    // A suppressed one has no channel: only the reasons the texts know are told.
    const plain = explainRoute(lang, { ...facts, reasons: [] })[0];
    out[lang] = row.channel === null ? lines.filter((l) => l !== plain) : lines;
  }
  return out;
}

const kindOf = (r: Pick<SampleRow, 'outcome' | 'suppression'>) => `${r.outcome}:${r.suppression}`;

/**
 * Keeps the sample at `size` rows, the first of each kind (outcome and suppression) before a
 * second of any: a row of a kind not yet shown takes the place of the latest row of a kind
 * shown twice or more.
 */
function addSample(sample: SampleRow[], row: SampleRow, size: number): void {
  if (sample.length < size) {
    sample.push(row);
    return;
  }
  const kind = kindOf(row);
  if (sample.some((r) => kindOf(r) === kind)) return;
  const counts = new Map<string, number>();
  for (const r of sample) counts.set(kindOf(r), (counts.get(kindOf(r)) ?? 0) + 1);
  for (let i = sample.length - 1; i >= 0; i--) {
    if ((counts.get(kindOf(sample[i])) ?? 0) > 1) {
      sample[i] = row;
      return;
    }
  }
}

/** Adds one planned part of a batch to the tally (in place). */
export function addPlan(
  tally: DryRunTally,
  customers: readonly BatchCustomer[],
  plan: BatchPlan,
  sampleSize: number,
): void {
  const byId = new Map(customers.map((c) => [c.context.customerId, c]));
  const sampled = (
    customerId: string,
    row: Omit<SampleRow, 'explanation' | 'name' | 'timezone'>,
  ) => {
    const c = byId.get(customerId);
    const full = { ...row, name: c?.displayName ?? null, timezone: c?.context.timezone ?? 'UTC' };
    addSample(tally.sample, { ...full, explanation: explain(full) }, sampleSize);
  };
  for (const s of plan.sends) {
    tally.recipients++;
    const outcome: Outcome = s.digestDue !== null ? 'digest' : s.sendAt !== null ? 'held' : 'now';
    tally.byChannel[s.channel][outcome === 'digest' ? 'digest' : outcome]++;
    if (s.variant !== null) tally.variants[s.variant] = (tally.variants[s.variant] ?? 0) + 1;
    if (outcome === 'held' && s.sendAt !== null) {
      const at = s.sendAt.toISOString();
      tally.held.count++;
      if (tally.held.earliest === null || at < tally.held.earliest) tally.held.earliest = at;
      if (tally.held.latest === null || at > tally.held.latest) tally.held.latest = at;
    }
    sampled(s.customerId, {
      customerId: s.customerId,
      outcome,
      channel: s.channel,
      suppression: null,
      variant: s.variant,
      sendAt: s.route.sendAt && outcome !== 'now' ? s.route.sendAt : null,
      reasons: s.route.reasons,
    });
  }
  for (const s of plan.suppressed) {
    tally.recipients++;
    tally.suppressed[s.suppression]++;
    tally.suppressed.total++;
    if (s.variant !== null) tally.variants[s.variant] = (tally.variants[s.variant] ?? 0) + 1;
    sampled(s.customerId, {
      customerId: s.customerId,
      outcome: 'suppressed',
      channel: null,
      suppression: s.suppression,
      variant: s.variant,
      sendAt: null,
      reasons: s.reasons,
    });
  }
}
