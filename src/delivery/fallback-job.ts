/** The timers/fallback-check job of one step of a message's fallback chain. */
import { QUEUES } from '../queue/queue-names';

export const FALLBACK_JOB = {
  queue: QUEUES.timers.name,
  name: 'fallback-check',
  maxAttempts: 5,
} as const;

export function fallbackDedupeKey(
  messageId: string,
  step: number,
  phase: 'delivery' | 'read' = 'delivery',
): string {
  return phase === 'read' ? `fallback:${messageId}:${step}:read` : `fallback:${messageId}:${step}`;
}
