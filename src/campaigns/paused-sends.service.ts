import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { FALLBACK_JOB, fallbackDedupeKey } from '../delivery/fallback-job';
import { SEND_MAX_ATTEMPTS } from '../delivery/send-job';
import { JobQueueService } from '../queue/job-queue.service';
import type { StagedJob } from '../queue/outbox.repository';
import { deliveryQueueOf } from '../queue/send-rates';
import { RoutingPolicyProvider } from '../routing/routing-policy';
import { releaseOf } from './paused-release';
import { PausedSendsRepository, type PausedSendRelease } from './paused-sends.repository';

/** Held sends released per transaction. */
const BATCH = 500;

/**
 * A paused campaign holds every send whose turn comes during the pause (DeliveryService marks
 * it heldByPause and sends nothing). Resuming releases them: each gets a time its customer's
 * quiet hours allow now (releaseOf), a new send job and, when its route has fallbacks, a new
 * first fallback check; the jobs' dedupe keys name the resume's chain generation, so a second
 * pause and resume releases again and a repeated release stages nothing twice.
 */
@Injectable()
export class PausedSendsService {
  private readonly log = new Logger('Campaigns');

  constructor(
    private readonly paused: PausedSendsRepository,
    private readonly transactions: Transactions,
    private readonly policy: RoutingPolicyProvider,
    private readonly queue: JobQueueService,
  ) {}

  /** Releases the campaign's held sends; answers how many will go and how many were dropped. */
  async release(
    campaignId: string,
    generation: number,
  ): Promise<{ released: number; suppressed: number }> {
    let released = 0;
    let suppressed = 0;
    for (;;) {
      const held = await this.paused.held(campaignId, BATCH);
      if (held.length === 0) break;
      const now = Date.now();
      const policy = this.policy.current(now);
      const fallbackOf = new Map(held.map((h) => [h.messageId, h.firstFallbackSeconds]));
      const releases: PausedSendRelease[] = held.map((h) => {
        const r = releaseOf(h, policy, now);
        return 'suppressed' in r
          ? { messageId: h.messageId, sendAt: null, note: null, suppressed: r.suppressed }
          : { messageId: h.messageId, sendAt: r.sendAt, note: r.note, suppressed: null };
      });
      const jobs = await this.transactions.run(async (tx) => {
        const going = await this.paused.release(tx, releases);
        const staged: StagedJob[] = [];
        for (const send of going) {
          const key = `resume:${generation}`;
          staged.push(
            await this.queue.stage(tx, {
              queue: deliveryQueueOf(send.channel),
              name: 'send',
              payload: { messageId: send.messageId },
              dedupeKey: `send:${send.messageId}:${key}`,
              runAt: send.sendAt,
              maxAttempts: SEND_MAX_ATTEMPTS,
            }),
          );
          const after = fallbackOf.get(send.messageId);
          if (after !== null && after !== undefined)
            staged.push(
              await this.queue.stage(tx, {
                queue: FALLBACK_JOB.queue,
                name: FALLBACK_JOB.name,
                payload: { messageId: send.messageId, step: 0 },
                dedupeKey: `${fallbackDedupeKey(send.messageId, 0)}:${key}`,
                runAt: new Date(send.sendAt.getTime() + after * 1000),
                maxAttempts: FALLBACK_JOB.maxAttempts,
              }),
            );
        }
        released += going.length;
        suppressed += releases.filter((r) => r.suppressed !== null).length;
        return staged;
      });
      await this.queue.dispatchAll(jobs);
    }
    if (released + suppressed > 0)
      this.log.log(
        `campaign ${campaignId} resumed: ${released} held send(s) released, ${suppressed} suppressed by quiet hours`,
      );
    return { released, suppressed };
  }
}
