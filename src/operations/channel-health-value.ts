import type { ProviderHealth } from '../routing/decision/routing-types';

const VALUE: Record<ProviderHealth, number> = { up: 1, degraded: 0.5, down: 0 };

/**
 * A channel's health as one number for dashboards and alerts: the worse of what its adapter
 * reports (a WeChat bot logged out, an SMTP relay refusing) and its circuit breaker (consecutive
 * provider failures seen by this process's sends).
 */
export function channelHealthValue(adapter: ProviderHealth, circuit: ProviderHealth): number {
  return Math.min(VALUE[adapter], VALUE[circuit]);
}
