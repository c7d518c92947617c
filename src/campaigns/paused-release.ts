/**
 * When a send held by a campaign's pause goes once the campaign resumes: at once, unless the
 * customer's quiet hours hold now, where the routing engine's rule applies again (critical and
 * exempt urgencies go, suppressed purposes are dropped, anything else waits for the window's
 * end). Pure.
 */
import type { Purpose, Urgency } from '../common/names';
import { quietUntil } from '../routing/decision/quiet-hours';
import type { QuietHours, RoutingPolicy } from '../routing/decision/routing-types';

export interface HeldByPause {
  urgency: Urgency;
  purpose: Purpose;
  /** The customer's own quiet hours; null when they set none. */
  quietHours: QuietHours | null;
  timezone: string;
}

export type Release = { sendAt: Date; note: string } | { suppressed: string };

export function releaseOf(
  held: HeldByPause,
  policy: Pick<RoutingPolicy, 'quietHours'>,
  nowMs: number,
): Release {
  const quiet = held.quietHours;
  const until = quiet === null ? -1 : quietUntil(quiet, held.timezone, nowMs);
  if (quiet === null || until <= nowMs) return { sendAt: new Date(nowMs), note: 'resumed' };
  const window = `quiet hours ${quiet.start}-${quiet.end} ${held.timezone}`;
  if (held.urgency === 'critical' || policy.quietHours.exemptUrgencies.includes(held.urgency))
    return {
      sendAt: new Date(nowMs),
      note: `resumed; ${held.urgency}: sent now despite ${window}`,
    };
  if (policy.quietHours.suppressPurposes.includes(held.purpose))
    return {
      suppressed: `resumed inside ${window}; ${held.purpose} messages are not delayed`,
    };
  return {
    sendAt: new Date(until),
    note: `resumed; delayed to ${new Date(until).toISOString()}: ${window}`,
  };
}
