import type { Channel } from '../../../src/common/names';
import { DEFAULT_ROUTING_POLICY } from '../../../src/routing/decision';
import type {
  ContactBudgetPolicy,
  CustomerRoutingContext,
  MessageIntent,
  RoutingPolicy,
  SupportFacts,
} from '../../../src/routing/decision';

export const ALL: Channel[] = ['email', 'sms', 'voice', 'wechat', 'livechat'];

/** A customer reachable everywhere, consent granted for everything, no quiet hours. */
export function customer(overrides: Partial<CustomerRoutingContext> = {}): CustomerRoutingContext {
  return {
    customerId: 'c1',
    locale: 'en',
    timezone: 'Asia/Shanghai',
    attributes: {},
    identities: [
      { channel: 'email', address: 'a@example.com', status: 'active' },
      { channel: 'sms', address: '+8613800138000', status: 'active' },
      { channel: 'voice', address: '+8613800138000', status: 'active' },
      { channel: 'wechat', address: 'wx_a', status: 'active' },
      { channel: 'livechat', address: 'v_a', status: 'active' },
    ],
    preferences: [],
    quietHours: null,
    consent: Object.fromEntries(
      ALL.map((c) => [c, { marketing: 'granted', transactional: 'granted', service: 'granted' }]),
    ),
    learnedRanking: [],
    marketingSent: { lastDay: 0, lastWeek: 0 },
    templateChannels: new Set(ALL),
    ...overrides,
  };
}

export function intent(overrides: Partial<MessageIntent> = {}): MessageIntent {
  return {
    topic: 'orders',
    urgency: 'normal',
    purpose: 'transactional',
    template: 'order-shipped',
    ...overrides,
  };
}

export function policy(overrides: Partial<RoutingPolicy> = {}): RoutingPolicy {
  return { ...DEFAULT_ROUTING_POLICY, ...overrides };
}

/** Support facts: nothing going on unless overridden. */
export function support(overrides: Partial<SupportFacts> = {}): SupportFacts {
  return { openConversationSince: null, lastSlaBreachAt: null, lastCsat: null, ...overrides };
}

/** The contact budget policy with some holds changed. */
export function budget(overrides: Partial<ContactBudgetPolicy>): ContactBudgetPolicy {
  return { ...DEFAULT_ROUTING_POLICY.contactBudget, ...overrides };
}

/** 12:00 and 23:00 in Shanghai (UTC+8). */
export const NOON_SHANGHAI = new Date('2025-03-10T04:00:00Z');
export const NIGHT_SHANGHAI = new Date('2025-03-10T15:00:00Z');
export const MORNING_AFTER_SHANGHAI = new Date('2025-03-11T00:00:00Z');
