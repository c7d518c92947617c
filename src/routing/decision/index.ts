export * from './routing-types';
export { decideRoute } from './decide-route';
export { learnedRanking } from './learned-ranking';
export type { EngagementEvent, LearnedRankingOptions } from './learned-ranking';
export { matchPreferenceRow } from './preference-matrix';
export { quietUntil, parseClock } from './quiet-hours';
export { utcOffsetMs, isKnownTimezone } from './local-time';
export { DEFAULT_ROUTING_POLICY } from './default-policy';
