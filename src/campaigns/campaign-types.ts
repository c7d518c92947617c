import type { Channel, Purpose, Urgency } from '../common/names';
import type { Suppression } from '../routing/decision';
import type { Segment } from './segment';
import type { Variant } from './variant-pick';

export type { Channel, Suppression };

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A standard campaign, or a crisis broadcast (crisis.ts: its own flow and confirmation). */
export const CAMPAIGN_KINDS = ['standard', 'crisis'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export interface CampaignRow {
  id: string;
  name: string;
  segment: Segment;
  topic: string;
  purpose: Purpose;
  urgency: Urgency;
  template: string;
  variants: Variant[] | null;
  data: Record<string, unknown>;
  send_at: Date | null;
  rate_per_second: number | null;
  batch_size: number;
  status: CampaignStatus;
  generation: number;
  cursor: string | null;
  batches_done: number;
  recipients_count: number;
  sent_count: number;
  suppressed_count: number;
  created_by: string | null;
  launched_at: Date | null;
  completed_at: Date | null;
  /** When the fan-out wrote its last batch; the campaign completes once no send is held. */
  fanned_out_at: Date | null;
  kind: CampaignKind;
  /** A crisis broadcast's stated legal basis where a recipient gave no consent (LEGAL_BASES). */
  legal_basis: string | null;
  /** Who confirmed a crisis broadcast's launch, and when. */
  confirmed_by: string | null;
  confirmed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function campaignView(c: CampaignRow) {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    legalBasis: c.legal_basis,
    confirmedBy: c.confirmed_by,
    confirmedAt: c.confirmed_at ? new Date(c.confirmed_at).toISOString() : null,
    segment: c.segment,
    topic: c.topic,
    purpose: c.purpose,
    urgency: c.urgency,
    template: c.template,
    variants: c.variants ?? undefined,
    data: c.data,
    sendAt: c.send_at ? new Date(c.send_at).toISOString() : null,
    ratePerSecond: c.rate_per_second,
    batchSize: c.batch_size,
    status: c.status,
    progress: {
      batches: c.batches_done,
      recipients: c.recipients_count,
      sent: c.sent_count,
      suppressed: c.suppressed_count,
    },
    createdBy: c.created_by,
    launchedAt: c.launched_at ? new Date(c.launched_at).toISOString() : null,
    completedAt: c.completed_at ? new Date(c.completed_at).toISOString() : null,
    createdAt: new Date(c.created_at).toISOString(),
    updatedAt: new Date(c.updated_at).toISOString(),
  };
}
