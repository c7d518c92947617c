/**
 * The routing decision: which channel, which address, when, and what to fall back to.
 * Pure over plain data; allocates only the decision it returns (and its reason strings).
 */
import type { Channel, Purpose } from '../../common/names';
import { contactBudgetHolds } from './contact-budget';
import { isKnownTimezone } from './local-time';
import { matchPreferenceRow } from './preference-matrix';
import { quietUntil } from './quiet-hours';
import { whatsappWindowProblem } from './whatsapp-window';
import type {
  CustomerRoutingContext,
  FallbackRule,
  MessageIntent,
  RouteDecision,
  RouteFallback,
  RoutingPolicy,
  Suppression,
} from './routing-types';

const CHANNEL_BIT: Readonly<Record<Channel, number>> = {
  email: 1,
  sms: 2,
  voice: 4,
  wechat: 8,
  livechat: 16,
  whatsapp: 32,
};

const SOURCE_FORCED = 0;
const SOURCE_MATRIX = 1;
const SOURCE_LEARNED = 2;
const SOURCE_DEFAULT = 3;

/** Mutable scratch state of one decision. */
interface Walk {
  ctx: CustomerRoutingContext;
  intent: MessageIntent;
  policy: RoutingPolicy;
  nowMs: number;
  seen: number;
  limit: number;
  channels: Channel[];
  addresses: string[];
  sources: number[];
  excluded: string[];
  consentBlocked: boolean;
}

function consentProblem(
  ctx: CustomerRoutingContext,
  channel: Channel,
  purpose: Purpose,
): string | null {
  const perChannel = ctx.consent[channel];
  const status = perChannel === undefined ? undefined : perChannel[purpose];
  if (status === 'revoked') return `consent revoked for ${purpose}`;
  if (purpose === 'marketing' && status !== 'granted') return 'no consent granted for marketing';
  return null;
}

/** Checks one channel; on success records it as a candidate, else records why not. */
function consider(walk: Walk, channel: Channel, source: number): void {
  const bit = CHANNEL_BIT[channel];
  if ((walk.seen & bit) !== 0) return;
  walk.seen |= bit;
  if (walk.channels.length >= walk.limit) return;
  const { ctx, intent } = walk;

  let address: string | null = null;
  let badStatus: string | null = null;
  const identities = ctx.identities;
  for (let i = 0; i < identities.length; i++) {
    const identity = identities[i];
    if (identity.channel !== channel) continue;
    if (identity.status === 'active') {
      address = identity.address;
      break;
    }
    badStatus = identity.status;
  }
  const hasTemplate = ctx.templateChannels.has(channel);
  const consent = consentProblem(ctx, channel, intent.purpose);
  if (address !== null && hasTemplate && consent !== null) walk.consentBlocked = true;

  let problem: string | null = null;
  if (address === null) problem = badStatus === null ? 'no address' : `identity ${badStatus}`;
  else if (!hasTemplate) problem = `template ${intent.template} has no ${channel} variant`;
  else if (consent !== null) problem = consent;
  else if (walk.policy.providerHealth[channel] === 'down') problem = 'provider down (circuit open)';
  else if (channel === 'whatsapp')
    problem = whatsappWindowProblem(
      ctx.lastWhatsappInboundAt,
      intent.template,
      walk.nowMs,
      walk.policy.whatsapp,
    );

  if (problem !== null || address === null) {
    walk.excluded.push(`${channel} excluded: ${problem ?? 'no address'}`);
    return;
  }
  walk.channels.push(channel);
  walk.addresses.push(address);
  walk.sources.push(source);
}

function considerAll(walk: Walk, channels: readonly Channel[], source: number): void {
  for (let i = 0; i < channels.length; i++) consider(walk, channels[i], source);
}

function describeSource(source: number, intent: MessageIntent): string {
  switch (source) {
    case SOURCE_FORCED:
      return 'forced by the caller';
    case SOURCE_MATRIX:
      return `preference matrix for ${intent.topic}/${intent.urgency}`;
    case SOURCE_LEARNED:
      return 'learned from engagement';
    default:
      return `default ranking for ${intent.urgency}`;
  }
}

/**
 * A WhatsApp candidate whose planned send time (sendAt, or its fallback's turn) falls outside the
 * 24-hour window is dropped, unless its template is approved: quiet hours or a fallback delay
 * can carry a message past the window's end.
 */
function dropLateWhatsapp(walk: Walk, sendAtMs: number, rule: FallbackRule | null): void {
  const k = walk.channels.indexOf('whatsapp');
  if (k < 0) return;
  const at = sendAtMs + (k === 0 || rule === null ? 0 : rule.afterSeconds * k * 1000);
  const problem = whatsappWindowProblem(
    walk.ctx.lastWhatsappInboundAt,
    walk.intent.template,
    at,
    walk.policy.whatsapp,
  );
  if (problem === null) return;
  walk.channels.splice(k, 1);
  walk.addresses.splice(k, 1);
  walk.sources.splice(k, 1);
  walk.excluded.push(`whatsapp excluded: ${problem}, at its turn ${new Date(at).toISOString()}`);
}

function refuse(suppression: Suppression, reasons: string[]): RouteDecision {
  return { ok: false, suppression, reasons };
}

export function decideRoute(
  ctx: CustomerRoutingContext,
  intent: MessageIntent,
  now: Date,
  policy: RoutingPolicy,
): RouteDecision {
  const nowMs = now.getTime();

  if (intent.purpose === 'marketing') {
    const holds = contactBudgetHolds(ctx.support, nowMs, policy.contactBudget);
    if (holds.length > 0)
      return refuse(
        'contactBudget',
        holds.map((h) => h.reason),
      );
    const cap = policy.frequencyCap;
    const sent = ctx.marketingSent;
    if (sent.lastDay >= cap.perDay) {
      return refuse('frequencyCap', [
        `frequency cap: ${sent.lastDay} marketing messages in the last day (cap ${cap.perDay})`,
      ]);
    }
    if (sent.lastWeek >= cap.perWeek) {
      return refuse('frequencyCap', [
        `frequency cap: ${sent.lastWeek} marketing messages in the last week (cap ${cap.perWeek})`,
      ]);
    }
  }

  const forced = intent.channel;
  const rule = forced === undefined ? policy.fallback[intent.urgency] : null;
  const walk: Walk = {
    ctx,
    intent,
    policy,
    nowMs,
    seen: 0,
    limit: rule === null ? 1 : 1 + Math.max(0, policy.maxFallbacks),
    channels: [],
    addresses: [],
    sources: [],
    excluded: [],
    consentBlocked: false,
  };

  if (forced !== undefined) {
    consider(walk, forced, SOURCE_FORCED);
  } else {
    const row = matchPreferenceRow(ctx.preferences, intent.topic, intent.urgency);
    if (row !== null) considerAll(walk, row.channels, SOURCE_MATRIX);
    if (row === null || !policy.matrixExclusive) {
      considerAll(walk, ctx.learnedRanking, SOURCE_LEARNED);
      considerAll(walk, policy.defaultRanking[intent.urgency], SOURCE_DEFAULT);
    }
  }

  if (walk.channels.length === 0) {
    const reasons = walk.excluded;
    if (reasons.length === 0) reasons.push('no channel ranked for this message');
    return refuse(walk.consentBlocked ? 'noConsent' : 'noChannel', reasons);
  }

  let sendAtMs = nowMs;
  let quietNote: string | null = null;
  const quiet = ctx.quietHours === undefined ? policy.quietHours.default : ctx.quietHours;
  const until = quiet === null ? -1 : quietUntil(quiet, ctx.timezone, nowMs);
  if (quiet !== null && until > nowMs) {
    const window = `quiet hours ${quiet.start}-${quiet.end} ${ctx.timezone}`;
    if (
      intent.urgency === 'critical' ||
      policy.quietHours.exemptUrgencies.includes(intent.urgency)
    ) {
      quietNote = `${intent.urgency}: sent now despite ${window}`;
    } else if (policy.quietHours.suppressPurposes.includes(intent.purpose)) {
      walk.excluded.unshift(`suppressed: ${window}, ${intent.purpose} messages are not delayed`);
      return refuse('quietHours', walk.excluded);
    } else {
      sendAtMs = until;
      quietNote = `delayed to ${new Date(until).toISOString()}: ${window}`;
    }
  }

  dropLateWhatsapp(walk, sendAtMs, rule);
  if (walk.channels.length === 0) return refuse('noChannel', walk.excluded);

  const fallbacks: RouteFallback[] = [];
  if (rule !== null) {
    for (let i = 1; i < walk.channels.length; i++) {
      const fallback: RouteFallback = {
        channel: walk.channels[i],
        address: walk.addresses[i],
        afterSeconds: rule.afterSeconds * i,
        unless: rule.unless,
      };
      if (rule.readWithinSeconds !== undefined)
        fallback.readWithinSeconds = rule.readWithinSeconds * i;
      fallbacks.push(fallback);
    }
  }

  const channel = walk.channels[0];
  const reasons = [`${channel} chosen: ${describeSource(walk.sources[0], intent)}`];
  if (quietNote !== null) reasons.push(quietNote);
  if (!isKnownTimezone(ctx.timezone))
    reasons.push(`unknown timezone ${ctx.timezone}: treated as UTC`);
  for (let i = 0; i < walk.excluded.length; i++) reasons.push(walk.excluded[i]);

  return {
    ok: true,
    channel,
    address: walk.addresses[0],
    sendAt: new Date(sendAtMs),
    delayed: sendAtMs !== nowMs,
    fallbacks,
    reasons,
  };
}
