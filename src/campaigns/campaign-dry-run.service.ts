import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { RoutingPolicyProvider } from '../routing/routing-policy';
import { BatchContextLoader } from './batch-context.loader';
import { batchReadOptions } from './batch-pipeline';
import type { CreateCampaign } from './campaign.dto';
import type { CampaignRow } from './campaign-types';
import { CampaignsRepository } from './campaigns.repository';
import { addPlan, emptyTally, type DryRunTally } from './dry-run-tally';
import { RecipientPlanner } from './recipient-planner';

/** Customers read and planned at a time (one query each, like a part of a fan-out batch). */
const PART = 1000;
/** The dry run stops after this long... */
export const DRY_RUN_SECONDS = 20;
/** ...or this many customers, whichever comes first, and says so. */
export const DRY_RUN_MAX_CUSTOMERS = 1_000_000;
const SAMPLE = 20;

export interface DryRun extends DryRunTally {
  campaignId: string | null;
  at: string;
  /** Customers in the segment now. */
  audience: number;
  /** Every customer of the segment was planned (else `stoppedBy` says which limit ended it). */
  complete: boolean;
  stoppedBy: 'time' | 'customers' | null;
  limits: { seconds: number; customers: number };
  sends: { now: number; held: number; digest: number; total: number };
  tookMs: number;
}

/**
 * A campaign's fan-out without writing anything: the segment read batch by batch by the
 * fan-out's own loader (BatchContextLoader, with the same digest facts for low urgency) and
 * every customer routed and rendered by the fan-out's own RecipientPlanner (decideCampaignSend:
 * consent, quiet hours, frequency cap, contact budget, digest), then counted instead of written.
 */
@Injectable()
export class CampaignDryRunService {
  constructor(
    private readonly loader: BatchContextLoader,
    private readonly planner: RecipientPlanner,
    private readonly policy: RoutingPolicyProvider,
    private readonly campaigns: CampaignsRepository,
  ) {}

  /** An unsaved definition (the create body): A/B picks use a throw-away id, so they differ from the saved campaign's. */
  ofDefinition(body: CreateCampaign, maxCustomers?: number): Promise<DryRun> {
    const now = new Date();
    const row: CampaignRow = {
      id: randomUUID(),
      name: body.name,
      segment: body.segment,
      topic: body.topic,
      purpose: body.purpose,
      urgency: body.urgency,
      template: body.template,
      variants: body.variants ?? null,
      data: body.data ?? {},
      send_at: body.sendAt ? new Date(body.sendAt) : null,
      rate_per_second: body.ratePerSecond ?? null,
      batch_size: body.batchSize ?? PART,
      status: 'draft',
      generation: 0,
      cursor: null,
      batches_done: 0,
      recipients_count: 0,
      sent_count: 0,
      suppressed_count: 0,
      created_by: null,
      launched_at: null,
      completed_at: null,
      fanned_out_at: null,
      kind: 'standard',
      legal_basis: null,
      confirmed_by: null,
      confirmed_at: null,
      created_at: now,
      updated_at: now,
    };
    return this.run(row, null, maxCustomers);
  }

  async run(c: CampaignRow, campaignId: string | null, maxCustomers?: number): Promise<DryRun> {
    const started = Date.now();
    const now = new Date();
    const policy = this.policy.current(now.getTime());
    const options = batchReadOptions(c, policy);
    const cap = Math.min(maxCustomers ?? DRY_RUN_MAX_CUSTOMERS, DRY_RUN_MAX_CUSTOMERS);
    const tally = emptyTally();
    let cursor: string | null = null;
    let stoppedBy: DryRun['stoppedBy'] = null;
    for (;;) {
      const limit = Math.min(PART, cap - tally.recipients);
      if (limit <= 0) {
        // Anyone after the cap? Then the run stopped early.
        const more = await this.loader.next(c.segment, cursor, 1, now, undefined, options);
        if (more.length > 0) stoppedBy = 'customers';
        break;
      }
      const rows = await this.loader.next(c.segment, cursor, limit, now, undefined, options);
      if (rows.length === 0) break;
      // A scope per part, as a fan-out batch has one: its render cache stays small.
      addPlan(tally, rows, this.planner.plan(c, rows, now, policy, this.planner.scope(c)), SAMPLE);
      cursor = rows[rows.length - 1].context.customerId;
      if (rows.length < limit) break;
      if (Date.now() - started > DRY_RUN_SECONDS * 1000) {
        stoppedBy = 'time';
        break;
      }
    }
    const sends = { now: 0, held: 0, digest: 0, total: 0 };
    for (const ch of Object.values(tally.byChannel)) {
      sends.now += ch.now;
      sends.held += ch.held;
      sends.digest += ch.digest;
    }
    sends.total = sends.now + sends.held + sends.digest;
    return {
      ...tally,
      campaignId,
      at: now.toISOString(),
      audience:
        stoppedBy === null ? tally.recipients : await this.campaigns.audienceSize(c.segment),
      complete: stoppedBy === null,
      stoppedBy,
      limits: { seconds: DRY_RUN_SECONDS, customers: cap },
      sends,
      tookMs: Date.now() - started,
    };
  }
}
