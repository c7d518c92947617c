import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CircuitBreaker } from './circuit-breaker';
import { DEFAULT_ROUTING_POLICY, type FallbackRule, type RoutingPolicy } from './decision';

/** The routing policy from configuration, with live provider health from the circuit breaker. */
@Injectable()
export class RoutingPolicyProvider {
  private readonly base: RoutingPolicy;

  constructor(
    config: AppConfig,
    private readonly breaker: CircuitBreaker,
  ) {
    const env = config.env;
    const d = DEFAULT_ROUTING_POLICY;
    const rule = (
      seconds: number,
      base: FallbackRule | null,
      readSeconds = 0,
    ): FallbackRule | null =>
      seconds <= 0
        ? null
        : {
            afterSeconds: seconds * env.FALLBACK_SCALE,
            unless: base?.unless ?? 'delivered',
            ...(readSeconds > 0 ? { readWithinSeconds: readSeconds * env.FALLBACK_SCALE } : {}),
          };
    this.base = {
      ...d,
      defaultRanking: {
        low: env.ROUTING_DEFAULT_LOW ?? d.defaultRanking.low,
        normal: env.ROUTING_DEFAULT_NORMAL ?? d.defaultRanking.normal,
        high: env.ROUTING_DEFAULT_HIGH ?? d.defaultRanking.high,
        critical: env.ROUTING_DEFAULT_CRITICAL ?? d.defaultRanking.critical,
      },
      frequencyCap: { perDay: env.MARKETING_CAP_PER_DAY, perWeek: env.MARKETING_CAP_PER_WEEK },
      fallback: {
        low: d.fallback.low,
        normal: rule(env.FALLBACK_NORMAL_SECONDS, d.fallback.normal),
        high: rule(env.FALLBACK_HIGH_SECONDS, d.fallback.high),
        critical: rule(
          env.FALLBACK_CRITICAL_SECONDS,
          d.fallback.critical,
          env.FALLBACK_CRITICAL_READ_SECONDS,
        ),
      },
    };
  }

  current(now = Date.now()): RoutingPolicy {
    return { ...this.base, providerHealth: this.breaker.snapshot(now) };
  }
}
