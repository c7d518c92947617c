/**
 * Digests: low-urgency messages for one customer within a window are gathered into one message.
 * Pure over plain data, like decideRoute, which it follows: decideRoute says whether and where a
 * message may go; planDigest says whether it goes now or waits in the customer's digest.
 */
import type { Channel, Purpose, Urgency } from '../../common/names';
import { quietUntil } from './quiet-hours';
import type { ConsentState, CustomerRoutingContext, RoutingPolicy } from './routing-types';

const MINUTE_MS = 60_000;

/** What the decision reads about the customer's recent low-urgency messages. */
export interface DigestHistory {
  /**
   * When the customer's latest low-urgency message that is not itself gathered went, or goes
   * (a quiet-hours delay puts it in the future): a message sent alone or a digest. null = none.
   */
  lastLowAt: Date | null;
  /** The customer's digest still gathering, if any. */
  openDigest: { id: string; dueAt: Date } | null;
}

export type DigestPlan =
  | { gather: false; reason: string | null }
  | {
      gather: true;
      /** The open digest to join; null = open a new one due at dueAt. */
      digestId: string | null;
      dueAt: Date;
      reason: string;
    };

/**
 * Whether a routed intent goes now or is gathered into the customer's digest, and when that
 * digest goes. Only low urgency is gathered (normal, high and critical always go now), and only
 * once the window is open: the first low-urgency message opens it and goes at once; the ones
 * that follow within `digestWindowMinutes` wait in one digest, due when the window ends, pushed
 * past the customer's quiet hours. A channel forced by the caller goes now: a digest picks its
 * own channel.
 */
export function planDigest(
  ctx: Pick<CustomerRoutingContext, 'quietHours' | 'timezone'>,
  intent: { urgency: Urgency; channel?: Channel },
  history: DigestHistory,
  now: Date,
  policy: Pick<RoutingPolicy, 'digestWindowMinutes' | 'quietHours'>,
): DigestPlan {
  const windowMs = policy.digestWindowMinutes * MINUTE_MS;
  if (!(windowMs > 0) || intent.urgency !== 'low') return { gather: false, reason: null };
  const plan = gatherPlan(ctx, history, now.getTime(), windowMs, policy);
  if (plan === null || intent.channel === undefined) return plan ?? { gather: false, reason: null };
  return { gather: false, reason: 'not gathered into a digest: channel forced by the caller' };
}

function gatherPlan(
  ctx: Pick<CustomerRoutingContext, 'quietHours' | 'timezone'>,
  history: DigestHistory,
  nowMs: number,
  windowMs: number,
  policy: Pick<RoutingPolicy, 'digestWindowMinutes' | 'quietHours'>,
): DigestPlan | null {
  const open = history.openDigest;
  if (open !== null) {
    return {
      gather: true,
      digestId: open.id,
      dueAt: open.dueAt,
      reason: `gathered into digest ${open.id}, due ${open.dueAt.toISOString()}`,
    };
  }
  const last = history.lastLowAt;
  if (last === null || last.getTime() + windowMs <= nowMs) return null;
  const windowEnd = last.getTime() + windowMs;
  const dueMs = nextAllowed(ctx, policy, windowEnd);
  const pushed =
    dueMs === windowEnd
      ? ''
      : ` (pushed past quiet hours from ${new Date(windowEnd).toISOString()})`;
  return {
    gather: true,
    digestId: null,
    dueAt: new Date(dueMs),
    reason:
      `gathered into a new digest due ${new Date(dueMs).toISOString()}${pushed}: ` +
      `a low-urgency message went at ${last.toISOString()}, within ${policy.digestWindowMinutes} min`,
  };
}

/** Quiet hours can push a digest by up to a day: low-urgency contacts are looked for that far back too. */
const LOOKBACK_EXTRA_MINUTES = 1440;

/** How far back a plan looks for the customer's latest low-urgency contact. */
export function digestLookbackMinutes(policy: Pick<RoutingPolicy, 'digestWindowMinutes'>): number {
  return policy.digestWindowMinutes + LOOKBACK_EXTRA_MINUTES;
}

/**
 * The due time of the digest a gathered message opens when, at the time it is written, the
 * customer has no open digest: the planned one when the plan opened a new digest; when the plan
 * joined a digest that has been closed since (its flush began), a window from now, past quiet
 * hours. (A digest still open keeps its own due time.)
 */
export function newDigestDue(
  plan: Extract<DigestPlan, { gather: true }>,
  ctx: Pick<CustomerRoutingContext, 'quietHours' | 'timezone'>,
  policy: Pick<RoutingPolicy, 'digestWindowMinutes' | 'quietHours'>,
  now: Date,
): Date {
  if (plan.digestId === null) return plan.dueAt;
  return new Date(nextAllowed(ctx, policy, now.getTime() + policy.digestWindowMinutes * MINUTE_MS));
}

/** The first instant at or after `atMs` outside the customer's quiet hours. */
export function nextAllowed(
  ctx: Pick<CustomerRoutingContext, 'quietHours' | 'timezone'>,
  policy: Pick<RoutingPolicy, 'quietHours'>,
  atMs: number,
): number {
  const quiet = ctx.quietHours === undefined ? policy.quietHours.default : ctx.quietHours;
  if (quiet === null) return atMs;
  const until = quietUntil(quiet, ctx.timezone, atMs);
  return until > atMs ? until : atMs;
}

/** The purpose a digest is sent for: the one with the most checks among its items'. */
export function digestPurpose(purposes: readonly Purpose[]): Purpose {
  if (purposes.includes('marketing')) return 'marketing';
  if (purposes.includes('service')) return 'service';
  return 'transactional';
}

/**
 * Why an item may not ride in a digest on `channel` now (its consent changed since it was
 * gathered), or null: the same rule as a send, revoked refuses and marketing needs a grant.
 */
export function digestItemRefusal(
  consent: ConsentState,
  channel: Channel,
  purpose: Purpose,
): string | null {
  const status = consent[channel]?.[purpose];
  if (status === 'revoked') return `consent revoked for ${purpose} on ${channel}`;
  if (purpose === 'marketing' && status !== 'granted')
    return `no consent granted for marketing on ${channel}`;
  return null;
}
