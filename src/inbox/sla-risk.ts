import { addBusinessSeconds, type BusinessCalendar } from './business-hours';

/** What decides a conversation's next SLA deadline. */
export interface SlaCycleFacts {
  cycleAt: Date;
  /** An agent has replied in this cycle (the first-response target is met). */
  answered: boolean;
  firstResponseSeconds: number | null;
  resolutionSeconds: number | null;
  calendar: BusinessCalendar;
}

export interface SlaDeadline {
  kind: 'first_response' | 'resolution';
  dueAt: Date;
  state: 'breached' | 'due_soon';
}

/**
 * The next deadline that is breached or falls within `soonSeconds` of `now` (the first response
 * while unanswered, else the resolution), in the team's business hours; null when none is at risk.
 */
export function slaDeadline(c: SlaCycleFacts, now: Date, soonSeconds: number): SlaDeadline | null {
  const horizon = now.getTime() + soonSeconds * 1000;
  const targets: Array<[SlaDeadline['kind'], number | null]> = [
    ['first_response', c.answered ? null : c.firstResponseSeconds],
    ['resolution', c.resolutionSeconds],
  ];
  const due = targets
    // Business time is never shorter than wall-clock time: a target whose wall-clock deadline is
    // past the horizon is not at risk, and its calendar walk is skipped.
    .filter(
      (t): t is [SlaDeadline['kind'], number] =>
        t[1] !== null && t[1] > 0 && c.cycleAt.getTime() + t[1] * 1000 <= horizon,
    )
    .map(([kind, seconds]) => ({ kind, dueAt: addBusinessSeconds(c.cycleAt, seconds, c.calendar) }))
    .filter((d) => d.dueAt.getTime() <= horizon)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  if (!due) return null;
  return { ...due, state: due.dueAt.getTime() <= now.getTime() ? 'breached' : 'due_soon' };
}
