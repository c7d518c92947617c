/** Which channels a customer actually answers or reads on, from past outbound messages. */
import type { Channel } from '../../common/names';

export interface EngagementEvent {
  channel: Channel;
  outboundAt: Date;
  /** When the customer replied to or read this outbound message; null = never. */
  respondedAt: Date | null;
}

export interface LearnedRankingOptions {
  /** Only outbound messages this recent count (default 90 days). */
  windowDays?: number;
  /** A reply or read counts only this soon after the outbound (default 48 hours). */
  responseHours?: number;
}

const HOUR_MS = 3_600_000;

/**
 * Channels ranked by how many outbound messages got a reply or read within 48h, over the
 * last 90 days. Ties go to the channel answered most recently. Channels never answered are
 * left out.
 */
export function learnedRanking(
  events: readonly EngagementEvent[],
  now: Date,
  options: LearnedRankingOptions = {},
): Channel[] {
  const nowMs = now.getTime();
  const since = nowMs - (options.windowDays ?? 90) * 24 * HOUR_MS;
  const within = (options.responseHours ?? 48) * HOUR_MS;
  const counts = new Map<Channel, { count: number; last: number }>();
  for (const event of events) {
    if (event.respondedAt === null) continue;
    const out = event.outboundAt.getTime();
    const answered = event.respondedAt.getTime();
    if (out < since || out > nowMs || answered < out || answered - out > within || answered > nowMs)
      continue;
    const entry = counts.get(event.channel);
    if (entry === undefined) counts.set(event.channel, { count: 1, last: answered });
    else {
      entry.count += 1;
      if (answered > entry.last) entry.last = answered;
    }
  }
  return [...counts.entries()]
    .sort(([, a], [, b]) => b.count - a.count || b.last - a.last)
    .map(([channel]) => channel);
}
