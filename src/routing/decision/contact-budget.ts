/**
 * The contact budget's holds: marketing waits while the support desk is dealing with the
 * customer (an unresolved conversation, a recent SLA breach, a low last rating). Pure.
 */
import type { BudgetHold, ContactBudgetPolicy, SupportFacts } from './routing-types';

const DAY_MS = 86_400_000;
const NO_HOLDS: readonly BudgetHold[] = Object.freeze([]);

/** "2026-12-01T10:00Z": minutes are what an agent or a marketer reads. */
export function minuteIso(at: Date): string {
  return `${at.toISOString().slice(0, 16)}Z`;
}

/** Every hold that applies at `nowMs`, in the order open conversation, SLA breach, CSAT. */
export function contactBudgetHolds(
  support: SupportFacts | undefined,
  nowMs: number,
  policy: ContactBudgetPolicy,
): readonly BudgetHold[] {
  if (support === undefined) return NO_HOLDS;
  let holds: BudgetHold[] | null = null;
  const open = support.openConversationSince;
  if (policy.holdOpenConversation && open !== null) {
    (holds ??= []).push({
      kind: 'openConversation',
      reason: `held: open support conversation since ${minuteIso(open)}`,
      since: open,
    });
  }
  const breach = support.lastSlaBreachAt;
  if (
    policy.breachDays > 0 &&
    breach !== null &&
    breach.getTime() > nowMs - policy.breachDays * DAY_MS
  ) {
    (holds ??= []).push({
      kind: 'slaBreach',
      reason: `held: SLA breach on ${minuteIso(breach)} within ${policy.breachDays} days`,
      since: breach,
    });
  }
  const csat = support.lastCsat;
  if (policy.minCsat > 0 && csat !== null && csat.score < policy.minCsat) {
    (holds ??= []).push({
      kind: 'lowCsat',
      reason: `held: last CSAT ${csat.score} below ${policy.minCsat}`,
      since: csat.at,
    });
  }
  return holds ?? NO_HOLDS;
}
