import type { Channel } from '../common/names';
import type { EngagementEvent } from './decision';

/** An outbound message as the routing read returns it: [channel, created µs, status, updated µs]. */
export type OutboundRow = [Channel, number, string, number];
/** An inbound message: [channel, created µs]. */
export type InboundRow = [string, number];

const ANSWER_WITHIN_US = 48 * 3_600_000_000;

/**
 * When the customer first responded to each outbound message: the earliest inbound message on
 * the same channel after it and within 48 hours, or its read time, whichever came first (the
 * rule the routing read applied per message in SQL, here over the customer's inbound messages
 * read once). Times are epoch microseconds, so "after" is exact.
 */
export function engagementEvents(
  outbound: readonly OutboundRow[],
  inbound: readonly InboundRow[],
): EngagementEvent[] {
  const answers = new Map<string, number[]>();
  for (const [channel, at] of inbound) {
    const list = answers.get(channel);
    if (list === undefined) answers.set(channel, [at]);
    else list.push(at);
  }
  for (const list of answers.values()) list.sort((a, b) => a - b);
  return outbound.map(([channel, at, status, updated]) => {
    const list = answers.get(channel);
    const next = list === undefined ? undefined : list[firstAfter(list, at)];
    const answered = next !== undefined && next <= at + ANSWER_WITHIN_US ? next : null;
    const read = status === 'read' ? updated : null;
    const responded =
      answered === null ? read : read === null ? answered : Math.min(answered, read);
    return {
      channel,
      outboundAt: new Date(at / 1000),
      respondedAt: responded === null ? null : new Date(responded / 1000),
    };
  });
}

/** Index of the first element of the ascending `list` greater than `value`. */
function firstAfter(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
