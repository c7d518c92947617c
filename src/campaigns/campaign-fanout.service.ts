import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Transactions, type Tx } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import type { StagedJob } from '../queue/outbox.repository';
import { QUEUES } from '../queue/queue-names';
import { RoutingPolicyProvider } from '../routing/routing-policy';
import { BatchContextLoader } from './batch-context.loader';
import { runBatchParts, type BatchRun } from './batch-pipeline';
import { CampaignRecipientsRepository } from './campaign-recipients.repository';
import type { CampaignRow } from './campaign-types';
import { CampaignsRepository } from './campaigns.repository';
import { RecipientPlanner } from './recipient-planner';

export interface BatchOutcome {
  ran: boolean;
  customers: number;
  sent: number;
  /** Of `sent`, those gathered into the customer's digest (a low-urgency campaign). */
  digested: number;
  suppressed: number;
  /** The fan-out is done (no customer follows); the campaign may still hold sends. */
  done: boolean;
}

/** A finish check runs this long after the latest held send is due (its send job goes first)... */
const FINISH_GRACE_MS = 5_000;
/** ...and again at least this long after one that found a send still held. */
const FINISH_RECHECK_MS = 30_000;

/** When to look again whether a campaign's held sends are gone. Pure. */
export function nextFinishCheck(latestHeld: Date | null, now: Date): Date {
  const due = latestHeld ? latestHeld.getTime() + FINISH_GRACE_MS : 0;
  return new Date(Math.max(due, now.getTime() + FINISH_RECHECK_MS));
}

/**
 * The fan-out: one job per batch on the 'campaigns' queue. A batch takes the next customers of
 * the segment by keyset (id > cursor), routes and renders them, writes recipients, messages and
 * the chunk jobs of their sends (chunk-job.ts), advances the cursor and stages the next batch,
 * in the batch's transaction and a second one that commits just before it (batch-pipeline.ts).
 * Killed half-way, the transactions roll back and the batch runs again; already-written
 * recipients are never sent twice (UNIQUE (campaign_id, customer_id), idempotency keys).
 */
@Injectable()
export class CampaignFanoutService implements OnApplicationBootstrap {
  private readonly log = new Logger('CampaignFanout');

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly recipients: CampaignRecipientsRepository,
    private readonly transactions: Transactions,
    private readonly loader: BatchContextLoader,
    private readonly planner: RecipientPlanner,
    private readonly policy: RoutingPolicyProvider,
    private readonly queue: JobQueueService,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
  ) {}

  /**
   * A worker that starts re-arms every running campaign with a new chain generation: a batch
   * job lost in a crash (or stuck in the queue) cannot stall a campaign, and the cursor plus
   * UNIQUE (campaign_id, customer_id) keep the restart exact. The old chain's jobs stand down.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsWorker) return;
    for (const c of await this.campaigns.rearmActive()) {
      if (c.fannedOutAt !== null) {
        // Fanned out, waiting on held sends: only the finish check is left.
        await this.queue.enqueue(this.finishJob(c.id, new Date()));
        continue;
      }
      const later =
        c.status === 'scheduled' && c.sendAt && new Date(c.sendAt).getTime() > Date.now()
          ? new Date(c.sendAt)
          : undefined;
      await this.startChain(c.id, c.generation, c.batchesDone + 1, later);
      this.log.log(
        `campaign ${c.id} re-armed at batch ${c.batchesDone + 1} (generation ${c.generation})`,
      );
    }
  }

  /** Stages the first batch of a (re)started chain; `generation` invalidates the chains before it. */
  async startChain(
    campaignId: string,
    generation: number,
    batchNo: number,
    runAt?: Date,
  ): Promise<void> {
    await this.queue.enqueue({
      queue: QUEUES.campaigns.name,
      name: 'batch',
      payload: { campaignId, generation },
      dedupeKey: `campaign:${campaignId}:g${generation}:b${batchNo}`,
      runAt,
      maxAttempts: 10,
    });
  }

  @JobHandler('campaigns', 'batch')
  async onBatch(payload: Record<string, unknown>): Promise<void> {
    await this.runBatch(String(payload.campaignId), Number(payload.generation));
  }

  /** A campaign's finish check (see finish). */
  @JobHandler('campaigns', 'finish')
  async onFinish(payload: Record<string, unknown>): Promise<void> {
    await this.finish(String(payload.campaignId));
  }

  async runBatch(campaignId: string, generation: number): Promise<BatchOutcome> {
    const now = new Date();
    const policy = this.policy.current(now.getTime());
    const result = await this.transactions.run(async (m) => {
      const c = await this.campaigns.lockForBatch(campaignId, m);
      if (!c || c.generation !== generation || (c.status !== 'running' && c.status !== 'scheduled'))
        return null;
      // Resumed after its fan-out: no customer is taken again; only held sends are left.
      if (c.fanned_out_at !== null) return 'fannedOut' as const;
      await this.campaigns.useIndexScans(m);
      return runBatchParts(
        m,
        c,
        {
          recipients: this.recipients,
          sideTransactions: !this.config.embeddedDatabase,
          loader: this.loader,
          planner: this.planner,
        },
        now,
        policy,
        (batch) => this.advance(m, c, batch, now),
      );
    });
    if (result === 'fannedOut') await this.finish(campaignId);
    if (result === null || result === 'fannedOut')
      return { ran: false, customers: 0, sent: 0, digested: 0, suppressed: 0, done: false };
    // Progress first: the batch is committed, and whoever saw the campaign complete may stop
    // listening before the queue adds return (the outbox rows already hold the jobs).
    const a = result.after;
    this.emitProgress(a);
    await this.dispatchAll(result.jobs);
    if (a.status === 'completed')
      this.log.log(
        `campaign ${campaignId} completed: ${a.recipients_count} recipients in ${a.batches_done} batch(es)`,
      );
    else if (result.done)
      this.log.log(`campaign ${campaignId} fanned out; it waits on sends held by quiet hours`);
    return {
      ran: true,
      customers: result.customers,
      sent: result.sent,
      digested: result.digested,
      suppressed: result.suppressed,
      done: result.done,
    };
  }

  /**
   * A fanned-out campaign still running on held sends: completes it when none is held any more
   * (each went, or was cancelled), else looks again after the latest is due. Anything else (a
   * paused, cancelled or completed campaign, one still fanning out) is left alone.
   */
  async finish(campaignId: string): Promise<boolean> {
    const now = new Date();
    const result = await this.transactions.run(async (m) => {
      const c = await this.campaigns.lockForBatch(campaignId, m);
      if (!c || c.status !== 'running' || c.fanned_out_at === null) return null;
      const completed = await this.campaigns.complete(campaignId, m);
      if (completed) return { completed, job: null };
      const held = await this.campaigns.held(campaignId, m);
      const job = await this.queue.stage(
        m,
        this.finishJob(campaignId, nextFinishCheck(held.latest, now)),
      );
      return { completed: null, job };
    });
    if (!result) return false;
    if (result.job) await this.queue.dispatch(result.job);
    if (!result.completed) return false;
    this.emitProgress(result.completed);
    this.log.log(`campaign ${campaignId} completed: its held sends are gone`);
    return true;
  }

  private finishJob(campaignId: string, runAt: Date) {
    return {
      queue: QUEUES.campaigns.name,
      name: 'finish',
      payload: { campaignId },
      dedupeKey: `campaign:${campaignId}:finish:${runAt.getTime()}`,
      runAt,
      maxAttempts: 10,
    };
  }

  private emitProgress(a: CampaignRow): void {
    this.events.emit('campaign.progress', {
      campaignId: a.id,
      status: a.status,
      batches: a.batches_done,
      recipients: a.recipients_count,
      sent: a.sent_count,
      suppressed: a.suppressed_count,
      done: a.status === 'completed' || a.status === 'cancelled',
    });
  }

  /**
   * Advances the cursor and the counters past a written batch and stages the next one, in the
   * batch's transaction. After the last batch the campaign completes unless a send is held
   * (this batch's, or an earlier one's): then a finish check is staged for when the latest is due.
   */
  private async advance(m: Tx, c: CampaignRow, batch: BatchRun, now: Date) {
    const { done, sent, digested, suppressed } = batch;
    let latestHeld: Date | null = null;
    if (done) {
      // Earlier batches' held sends are committed; this one's are in batch.heldUntil.
      const prior = await this.campaigns.held(c.id, m);
      for (const t of [prior.latest, batch.heldUntil])
        if (t && (!latestHeld || t > latestHeld)) latestHeld = t;
    }
    const after = await this.campaigns.advance(
      c.id,
      { ...batch, complete: latestHeld === null },
      m,
    );
    const jobs: StagedJob[] = [...batch.jobs];
    if (done && latestHeld !== null)
      jobs.push(await this.queue.stage(m, this.finishJob(c.id, nextFinishCheck(latestHeld, now))));
    if (!done) {
      const pause = c.rate_per_second ? Math.ceil((c.batch_size / c.rate_per_second) * 1000) : 0;
      const next = await this.queue.stage(m, {
        queue: QUEUES.campaigns.name,
        name: 'batch',
        payload: { campaignId: c.id, generation: c.generation },
        dedupeKey: `campaign:${c.id}:g${c.generation}:b${after.batches_done + 1}`,
        runAt: new Date(now.getTime() + pause),
        maxAttempts: 10,
      });
      jobs.push(next);
    }
    return { after, jobs, customers: batch.customers, sent, digested, suppressed, done };
  }

  /** After commit, the next batch first (so a second campaigns worker can start it meanwhile); a failed dispatch leaves its outbox row for the sweeper. */
  private async dispatchAll(jobs: StagedJob[]): Promise<void> {
    const next = jobs.filter((j) => j.queue === QUEUES.campaigns.name);
    for (const j of next) await this.queue.dispatch(j);
    await this.queue.dispatchAll(jobs.filter((j) => j.queue !== QUEUES.campaigns.name));
  }
}
