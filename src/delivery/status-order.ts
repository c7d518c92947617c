import type { DeliveryStatus } from '../common/names';

/** Progress of a message that is on its way: each step implies the ones before it. */
const PROGRESS: Partial<Record<DeliveryStatus, number>> = {
  queued: 0,
  // Interrupted after it may have reached the provider: any word from the provider settles it.
  unknown: 0.5,
  sent: 1,
  delivered: 2,
  read: 3,
};

function isFailure(status: DeliveryStatus): boolean {
  return status === 'failed' || status === 'undelivered';
}

/**
 * The one-way delivery state machine: status callbacks arrive late and out of order, so the
 * stored status only moves forward.
 * - queued < unknown < sent < delivered < read; a late lower status never overwrites a higher one.
 * - failed/undelivered end a queued or sent message and are final, unless a delivered or
 *   read arrives later and proves the message got through; the first failure stays.
 * - delivered/read are never undone by a failure.
 * - suppressed (never sent, by our decision) is final, and only a queued message can become it.
 */
export function nextDeliveryStatus(
  current: DeliveryStatus,
  incoming: DeliveryStatus,
): DeliveryStatus {
  if (current === incoming || current === 'suppressed') return current;
  if (incoming === 'suppressed') return current === 'queued' ? incoming : current;
  const currentRank = PROGRESS[current];
  const incomingRank = PROGRESS[incoming];
  if (isFailure(current))
    return incomingRank !== undefined && incomingRank >= PROGRESS.delivered! ? incoming : current;
  if (currentRank === undefined) return current;
  if (isFailure(incoming)) return currentRank >= PROGRESS.delivered! ? current : incoming;
  return incomingRank !== undefined && incomingRank > currentRank ? incoming : current;
}
