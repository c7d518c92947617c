import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { JobQueueService } from '../queue/job-queue.service';
import type { StagedJob } from '../queue/outbox.repository';
import {
  digestLookbackMinutes,
  newDigestDue,
  planDigest,
  type CustomerRoutingContext,
  type DigestPlan,
  type MessageIntent,
} from '../routing/decision';
import { RoutingPolicyProvider } from '../routing/routing-policy';
import type { MessageView } from '../common/views';
import { DIGEST_JOB, digestDedupeKey } from './digest-job';
import { DigestsRepository, type GatheredMessage } from './digests.repository';

/**
 * The single-send side of digests: whether a routed intent is gathered (planDigest over the
 * customer's recent low-urgency contacts and open digest), and gathering it: the message held
 * in the customer's open digest, the digest opened with its flush job when there was none,
 * in one transaction.
 */
@Injectable()
export class DigestGatherer {
  constructor(
    private readonly digests: DigestsRepository,
    private readonly policy: RoutingPolicyProvider,
    private readonly transactions: Transactions,
    private readonly queue: JobQueueService,
    private readonly events: DomainEvents,
  ) {}

  /** The plan for a routed intent; no read at all for anything but low urgency with digests on. */
  async plan(ctx: CustomerRoutingContext, intent: MessageIntent, now: Date): Promise<DigestPlan> {
    const policy = this.policy.current(now.getTime());
    const window = policy.digestWindowMinutes;
    if (!(window > 0) || intent.urgency !== 'low') return { gather: false, reason: null };
    const history = await this.digests.history(ctx.customerId, now, digestLookbackMinutes(policy));
    return planDigest(ctx, intent, history, now, policy);
  }

  /**
   * Holds the message in the customer's open digest, as planned. When that digest was closed
   * since the plan (its flush began), the message opens the next one, due a window from now
   * (past quiet hours). Null when its idempotency key was taken already.
   */
  async gather(
    input: GatheredMessage,
    plan: Extract<DigestPlan, { gather: true }>,
    ctx: CustomerRoutingContext,
    now: Date,
  ): Promise<{ message: MessageView; dueAt: Date } | null> {
    const policy = this.policy.current(now.getTime());
    const dueAt = newDigestDue(plan, ctx, policy, now);
    const { message, job, digestDue } = await this.transactions
      .run(async (tx) => {
        const { digest, opened } = await this.digests.openDigest(input.customerId, dueAt, tx);
        const held = await this.digests.insertGathered(input, digest, tx);
        let staged: StagedJob | null = null;
        if (held && opened) {
          staged = await this.queue.stage(tx, {
            queue: DIGEST_JOB.queue,
            name: DIGEST_JOB.name,
            payload: { digestId: digest.id },
            dedupeKey: digestDedupeKey(digest.id),
            runAt: digest.dueAt,
            maxAttempts: DIGEST_JOB.maxAttempts,
          });
        }
        // An idempotent retry joined nothing: the digest opened for it is rolled back with it.
        if (!held) throw new RetriedKey();
        return { message: held, job: staged, digestDue: digest.dueAt };
      })
      .catch((e: unknown) => {
        if (e instanceof RetriedKey) return { message: null, job: null, digestDue: dueAt };
        throw e;
      });
    if (message === null) return null;
    if (job) void this.queue.dispatch(job);
    this.events.emit('message.created', { message, conversation: null, isNewConversation: false });
    return { message, dueAt: digestDue };
  }
}

/** Rolls back a gather whose idempotency key was taken. */
class RetriedKey extends Error {}
