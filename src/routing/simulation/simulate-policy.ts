/**
 * The policy simulator: every past send re-decided under the policy in force and under a
 * proposed one, with the same customer context and at the same moment, then compared. Pure.
 *
 * Both sides are decided here, the same way: what would change is proposed vs current, never
 * proposed vs history (history also moved because of circuits, template and consent changes,
 * and customers' preferences since). How far history differs from today's policy is reported
 * beside it, as information.
 */
import type { Channel } from '../../common/names';
import { decideRoute } from '../decision/decide-route';
import type {
  CustomerRoutingContext,
  MessageIntent,
  RouteDecision,
  RoutingPolicy,
  Suppression,
} from '../decision/routing-types';

export const SUPPRESSIONS: readonly Suppression[] = [
  'noConsent',
  'quietHours',
  'frequencyCap',
  'noChannel',
  'contactBudget',
];

/** One send as it happened: who, what for, when it was decided, and where it went. */
export interface PastSend {
  /** Unique among the sends (the message id, or the campaign recipient's). */
  id: string;
  /** null: a campaign recipient suppressed, who got no message. */
  messageId: string | null;
  customerId: string;
  /** When it was decided; both policies decide at this moment. */
  at: Date;
  intent: MessageIntent;
  /** The channel it went on, or the suppression that stopped it. */
  actual: { channel: Channel } | { suppression: string };
}

/** Where a send goes: a channel, or 'suppressed'. */
export type Destination = Channel | 'suppressed';

export interface OutcomeCounts {
  /** Sends that go, per channel (delayed ones included). */
  byChannel: Partial<Record<Channel, number>>;
  suppressed: Record<Suppression, number>;
  /** Sends held by quiet hours to a later time. */
  delayed: number;
}

/** One side of a sampled send. */
export interface SimulatedRoute {
  destination: Destination;
  suppression?: Suppression;
  delayed: boolean;
  sendAt?: string;
  reasons: string[];
}

export interface SimulationSample {
  messageId: string | null;
  customerId: string;
  at: string;
  topic: string;
  urgency: MessageIntent['urgency'];
  purpose: MessageIntent['purpose'];
  actual: Destination;
  current: SimulatedRoute;
  proposed: SimulatedRoute;
}

export interface SimulationResult {
  /** Sends re-decided (those with a context). */
  total: number;
  /** Sends left out: their customer is gone (erased or merged). */
  skipped: number;
  current: OutcomeCounts;
  proposed: OutcomeCounts;
  /** How many sends go from a destination under the current policy to one under the proposed. */
  matrix: Array<{ from: Destination; to: Destination; count: number }>;
  /** Sends whose outcome differs (destination, suppression reason, or delayed or not). */
  changed: number;
  /** Sends that would go on another channel, or start or stop being suppressed. */
  moved: number;
  /** Information: sends whose destination under each policy is not where they actually went. */
  differFromActual: { current: number; proposed: number };
  /** Up to sampleSize changed sends, the latest first, with both routes' reasons. */
  sample: SimulationSample[];
}

const emptyCounts = (): OutcomeCounts => ({
  byChannel: {},
  suppressed: { noConsent: 0, quietHours: 0, frequencyCap: 0, noChannel: 0, contactBudget: 0 },
  delayed: 0,
});

function count(counts: OutcomeCounts, d: RouteDecision): void {
  if (!d.ok) {
    counts.suppressed[d.suppression]++;
    return;
  }
  counts.byChannel[d.channel] = (counts.byChannel[d.channel] ?? 0) + 1;
  if (d.delayed) counts.delayed++;
}

const destination = (d: RouteDecision): Destination => (d.ok ? d.channel : 'suppressed');

/** The outcome as compared: destination, suppression reason, delayed. */
const outcomeKey = (d: RouteDecision): string =>
  d.ok ? `${d.channel}${d.delayed ? '+delayed' : ''}` : `suppressed:${d.suppression}`;

function simulated(d: RouteDecision): SimulatedRoute {
  return d.ok
    ? {
        destination: d.channel,
        delayed: d.delayed,
        ...(d.delayed ? { sendAt: d.sendAt.toISOString() } : {}),
        reasons: d.reasons,
      }
    : { destination: 'suppressed', suppression: d.suppression, delayed: false, reasons: d.reasons };
}

/**
 * `contexts` holds each send's customer context as of the send (keyed by send id); a send
 * without one is skipped. `sends` are expected latest first (the sample keeps that order).
 */
export function simulatePolicy(
  sends: readonly PastSend[],
  contexts: ReadonlyMap<string, CustomerRoutingContext>,
  currentPolicy: RoutingPolicy,
  proposedPolicy: RoutingPolicy,
  sampleSize = 20,
): SimulationResult {
  const current = emptyCounts();
  const proposed = emptyCounts();
  const cells = new Map<string, { from: Destination; to: Destination; count: number }>();
  const sample: SimulationSample[] = [];
  let total = 0;
  let skipped = 0;
  let changed = 0;
  let moved = 0;
  let currentVsActual = 0;
  let proposedVsActual = 0;

  for (const send of sends) {
    const ctx = contexts.get(send.id);
    if (ctx === undefined) {
      skipped++;
      continue;
    }
    total++;
    const before = decideRoute(ctx, send.intent, send.at, currentPolicy);
    const after = decideRoute(ctx, send.intent, send.at, proposedPolicy);
    count(current, before);
    count(proposed, after);
    const from = destination(before);
    const to = destination(after);
    const cellKey = `${from}>${to}`;
    const cell = cells.get(cellKey);
    if (cell) cell.count++;
    else cells.set(cellKey, { from, to, count: 1 });

    const actual: Destination = 'channel' in send.actual ? send.actual.channel : 'suppressed';
    if (from !== actual) currentVsActual++;
    if (to !== actual) proposedVsActual++;
    if (from !== to) moved++;
    if (outcomeKey(before) === outcomeKey(after)) continue;
    changed++;
    if (sample.length < sampleSize)
      sample.push({
        messageId: send.messageId,
        customerId: send.customerId,
        at: send.at.toISOString(),
        topic: send.intent.topic,
        urgency: send.intent.urgency,
        purpose: send.intent.purpose,
        actual,
        current: simulated(before),
        proposed: simulated(after),
      });
  }

  const matrix = [...cells.values()].sort(
    (a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
  return {
    total,
    skipped,
    current,
    proposed,
    matrix,
    changed,
    moved,
    differFromActual: { current: currentVsActual, proposed: proposedVsActual },
    sample,
  };
}
