import { URGENCIES, type Urgency } from '../common/names';

const rank = (u: string): number => URGENCIES.indexOf(u as Urgency);

/** The urgency a timeline item lends its conversation: routed messages carry theirs, inbound ones count as normal. */
export function urgencyOf(message: {
  direction: string;
  kind: string;
  urgency?: string | null;
}): Urgency | null {
  if (message.kind !== 'message') return null;
  if (message.urgency && rank(message.urgency) >= 0) return message.urgency as Urgency;
  return message.direction === 'inbound' ? 'normal' : null;
}

/** The priority a conversation moves to when `urgency` is higher than its own, else null (never lowered). */
export function raisedPriority(current: string, urgency: Urgency | null): Urgency | null {
  if (!urgency) return null;
  return rank(urgency) > rank(current) ? urgency : null;
}
