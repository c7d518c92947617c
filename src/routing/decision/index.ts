export * from './routing-types';
export { decideRoute } from './decide-route';
export { learnedRanking } from './learned-ranking';
export type { EngagementEvent, LearnedRankingOptions } from './learned-ranking';
export { matchPreferenceRow } from './preference-matrix';
export { quietUntil, parseClock } from './quiet-hours';
export { utcOffsetMs, isKnownTimezone } from './local-time';
export { DEFAULT_ROUTING_POLICY } from './default-policy';
export {
  planDigest,
  nextAllowed,
  digestPurpose,
  digestItemRefusal,
  digestLookbackMinutes,
  newDigestDue,
} from './digest-plan';
export type { DigestHistory, DigestPlan } from './digest-plan';
export { routeDigest, DIGEST_TEMPLATE } from './digest-route';
export type { DigestRoute, DigestRouteItem } from './digest-route';
export { decideCampaignSend } from './campaign-send';
export type { CampaignSendDecision } from './campaign-send';
export { contactBudgetHolds, minuteIso } from './contact-budget';
export {
  approvedWhatsappTemplate,
  DEFAULT_WHATSAPP_POLICY,
  insideWhatsappWindow,
  whatsappWindowEnd,
  whatsappWindowProblem,
  WHATSAPP_WINDOW_HOURS,
} from './whatsapp-window';
