/**
 * One campaign recipient's decision: decideRoute (may it go, where, when), then planDigest
 * (does it go now or wait in the customer's digest), exactly as a single send decides. Pure.
 */
import { decideRoute } from './decide-route';
import { newDigestDue, planDigest, type DigestHistory, type DigestPlan } from './digest-plan';
import type {
  CustomerRoutingContext,
  MessageIntent,
  RouteChosen,
  RouteRefused,
  RoutingPolicy,
} from './routing-types';

export type CampaignSendDecision =
  | { kind: 'suppressed'; decision: RouteRefused }
  /** Goes on its own; `note` is planDigest's word on it (null: nothing to say). */
  | { kind: 'send'; decision: RouteChosen; note: string | null }
  | {
      kind: 'gather';
      decision: RouteChosen;
      plan: Extract<DigestPlan, { gather: true }>;
      /** The due time of the digest it opens should the customer have no open digest when written. */
      newDigestDueAt: Date;
    };

/**
 * `history` null: the digest facts were not read (not low urgency, or digests off), nothing is
 * gathered. A campaign never forces a channel, so a low-urgency send inside the customer's
 * window is gathered; normal, high and critical ones never are.
 */
export function decideCampaignSend(
  ctx: CustomerRoutingContext,
  intent: MessageIntent,
  history: DigestHistory | null,
  now: Date,
  policy: RoutingPolicy,
): CampaignSendDecision {
  const d = decideRoute(ctx, intent, now, policy);
  if (!d.ok) return { kind: 'suppressed', decision: d };
  if (history === null) return { kind: 'send', decision: d, note: null };
  const plan = planDigest(ctx, intent, history, now, policy);
  if (!plan.gather) return { kind: 'send', decision: d, note: plan.reason };
  return {
    kind: 'gather',
    decision: d,
    plan,
    newDigestDueAt: newDigestDue(plan, ctx, policy, now),
  };
}
