/** A sensible starting policy; the routing service overlays live provider health. */
import type { RoutingPolicy } from './routing-types';

export const DEFAULT_ROUTING_POLICY: RoutingPolicy = {
  defaultRanking: {
    low: ['email', 'wechat', 'livechat'],
    normal: ['email', 'wechat', 'sms', 'livechat'],
    high: ['sms', 'wechat', 'email', 'livechat'],
    critical: ['sms', 'voice', 'wechat', 'email', 'livechat'],
  },
  providerHealth: {},
  frequencyCap: { perDay: 1, perWeek: 3 },
  fallback: {
    low: null,
    normal: { afterSeconds: 3600, unless: 'delivered' },
    high: { afterSeconds: 600, unless: 'delivered' },
    critical: { afterSeconds: 60, unless: 'delivered', readWithinSeconds: 300 },
  },
  maxFallbacks: 2,
  quietHours: { default: null, exemptUrgencies: [], suppressPurposes: [] },
  matrixExclusive: false,
  digestWindowMinutes: 60,
  contactBudget: { holdOpenConversation: true, breachDays: 7, minCsat: 3 },
};
