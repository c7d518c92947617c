import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { RoutingPolicyProvider } from '../routing/routing-policy';
import { BatchContextLoader } from './batch-context.loader';
import { runBatchParts, type BatchRun } from './batch-pipeline';
import type { CampaignRow } from './campaign-types';
import type { StagedJob } from './batch-writer';
import { RecipientPlanner } from './recipient-planner';

export interface BatchOutcome {
  ran: boolean;
  customers: number;
  sent: number;
  suppressed: number;
  done: boolean;
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
    @InjectDataSource() private readonly db: DataSource,
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
    const rows = (await this.db.query(
      `UPDATE campaigns SET generation = generation + 1, updated_at = now() WHERE status IN ('running', 'scheduled')
       RETURNING id, generation, batches_done, status, send_at`,
    )) as [
      Array<{
        id: string;
        generation: number;
        batches_done: number;
        status: string;
        send_at: Date | null;
      }>,
      number,
    ];
    for (const c of rows[0]) {
      const later =
        c.status === 'scheduled' && c.send_at && new Date(c.send_at).getTime() > Date.now()
          ? new Date(c.send_at)
          : undefined;
      await this.startChain(c.id, c.generation, c.batches_done + 1, later);
      this.log.log(
        `campaign ${c.id} re-armed at batch ${c.batches_done + 1} (generation ${c.generation})`,
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

  async runBatch(campaignId: string, generation: number): Promise<BatchOutcome> {
    const now = new Date();
    const policy = this.policy.current(now.getTime());
    const result = await this.db.transaction(async (m) => {
      const rows = (await m.query(`SELECT * FROM campaigns WHERE id = $1 FOR NO KEY UPDATE`, [
        campaignId,
      ])) as CampaignRow[];
      const c = rows[0];
      if (!c || c.generation !== generation || (c.status !== 'running' && c.status !== 'scheduled'))
        return null;
      // Per-customer lookups in the batch query must use the indexes even when the planner's
      // statistics predate the campaign's own inserts (a seq scan per customer grows quadratic),
      // and read a customer's recent messages in index order (a bitmap scan reads them all to
      // sort them before the limit). (The sessions run without JIT: see data-source-options.)
      await m.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`);
      return runBatchParts(
        m,
        c,
        {
          db: this.db,
          sideTransactions: !this.config.embeddedDatabase,
          loader: this.loader,
          planner: this.planner,
        },
        now,
        policy,
        (batch) => this.advance(m, c, batch, now),
      );
    });
    if (result === null) return { ran: false, customers: 0, sent: 0, suppressed: 0, done: false };
    // Progress first: the batch is committed, and whoever saw the campaign complete may stop
    // listening before the queue adds return (the outbox rows already hold the jobs).
    const a = result.after;
    this.events.emit('campaign.progress', {
      campaignId,
      status: a.status,
      batches: a.batches_done,
      recipients: a.recipients_count,
      sent: a.sent_count,
      suppressed: a.suppressed_count,
      done: result.done,
    });
    await this.dispatchAll(result.jobs);
    if (result.done)
      this.log.log(
        `campaign ${campaignId} completed: ${a.recipients_count} recipients in ${a.batches_done} batch(es)`,
      );
    return {
      ran: true,
      customers: result.customers,
      sent: result.sent,
      suppressed: result.suppressed,
      done: result.done,
    };
  }

  /** Advances the cursor and the counters past a written batch and stages the next one, in the batch's transaction. */
  private async advance(m: EntityManager, c: CampaignRow, batch: BatchRun, now: Date) {
    const { cursor, done, sent, suppressed } = batch;
    const updated = (await m.query(
      `UPDATE campaigns SET cursor = $2, batches_done = batches_done + 1,
              recipients_count = recipients_count + $3, sent_count = sent_count + $4, suppressed_count = suppressed_count + $5,
              status = CASE WHEN $6 THEN 'completed' ELSE 'running' END,
              completed_at = CASE WHEN $6 THEN now() ELSE completed_at END, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [c.id, cursor, sent + suppressed, sent, suppressed, done],
    )) as [CampaignRow[], number];
    const after = updated[0][0];
    const jobs: StagedJob[] = [...batch.jobs];
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
    return { after, jobs, customers: batch.customers, sent, suppressed, done };
  }

  /** After commit, the next batch first (so a second campaigns worker can start it meanwhile); a failed dispatch leaves its outbox row for the sweeper. */
  private async dispatchAll(jobs: StagedJob[]): Promise<void> {
    const next = jobs.filter((j) => j.queue === QUEUES.campaigns.name);
    for (const j of next) await this.queue.dispatch(j);
    await this.queue.dispatchAll(jobs.filter((j) => j.queue !== QUEUES.campaigns.name));
  }
}
