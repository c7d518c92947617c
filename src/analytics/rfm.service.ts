import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { notFound } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { RfmRepository } from './rfm.repository';

/**
 * RFM scores from conversions of the last 365 days (quintiles among buyers; non-buyers score 1),
 * tiers, and the churn-risk flag from inbound contact frequency (last 30 days against the
 * monthly average of the 6 months before). One statement (RfmRepository.recompute); on demand
 * and on a schedule.
 */
@Injectable()
export class RfmService implements OnApplicationBootstrap {
  private readonly log = new Logger('Rfm');

  constructor(
    private readonly repo: RfmRepository,
    private readonly queue: JobQueueService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsWorker && this.config.env.RFM_RECOMPUTE_HOURS > 0)
      await this.scheduleNext();
  }

  /** One job per period: the dedupe key names the slot, so every instance stages the same one. */
  private async scheduleNext(): Promise<void> {
    const periodMs = this.config.env.RFM_RECOMPUTE_HOURS * 3_600_000;
    const slot = Math.floor(Date.now() / periodMs) + 1;
    await this.queue.enqueue({
      queue: QUEUES.maintenance.name,
      name: 'rfm-recompute',
      payload: { slot },
      dedupeKey: `rfm:${slot}`,
      runAt: new Date(slot * periodMs),
      maxAttempts: 3,
    });
  }

  @JobHandler('maintenance', 'rfm-recompute')
  async scheduled(): Promise<void> {
    const n = await this.recompute();
    this.log.log(`RFM recomputed for ${n} customer(s)`);
    await this.scheduleNext();
  }

  recompute(): Promise<number> {
    return this.repo.recompute();
  }

  async forCustomer(customerId: string) {
    const r = await this.repo.forCustomer(customerId);
    if (!r) throw notFound('RFM score of customer', customerId);
    return {
      customerId,
      recencyDays: r.recencyDays,
      frequency: r.frequency,
      monetary: r.monetary,
      scores: { r: r.rScore, f: r.fScore, m: r.mScore },
      tier: r.tier,
      churnRisk: r.churnRisk,
      contacts: {
        last30Days: r.contactsRecent,
        baselinePerMonth: r.contactsBaseline,
      },
      computedAt: r.computedAt.toISOString(),
    };
  }

  async tiers() {
    return { tiers: await this.repo.tierCounts() };
  }
}
