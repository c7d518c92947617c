/** The timers/digest-flush job of one digest, due when the digest is. */
import { QUEUES } from '../queue/queue-names';

export const DIGEST_JOB = {
  queue: QUEUES.timers.name,
  name: 'digest-flush',
  maxAttempts: 8,
} as const;

export function digestDedupeKey(digestId: string): string {
  return `digest:${digestId}`;
}
