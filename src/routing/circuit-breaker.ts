import { Injectable, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { Channel } from '../common/names';
import type { ProviderHealth } from './decision/routing-types';

interface Circuit {
  failures: number;
  openUntil: number;
}

/**
 * Provider health per channel from delivery outcomes: after CIRCUIT_FAILURES consecutive
 * provider failures (transient, auth, unknown) the channel's circuit opens for
 * CIRCUIT_COOLDOWN_SECONDS; routing then treats the channel as down. After the cool-down one
 * send is let through (half-open): a success closes the circuit, a failure opens it again.
 * Kept per process: each instance learns from the sends it makes.
 */
@Injectable()
export class CircuitBreaker {
  private readonly circuits = new Map<Channel, Circuit>();

  constructor(private readonly config: AppConfig) {}

  success(channel: Channel): void {
    this.circuits.delete(channel);
  }

  failure(channel: Channel, now = Date.now()): void {
    const circuit = this.circuits.get(channel) ?? { failures: 0, openUntil: 0 };
    circuit.failures += 1;
    if (circuit.failures >= this.config.env.CIRCUIT_FAILURES) {
      circuit.openUntil = now + this.config.env.CIRCUIT_COOLDOWN_SECONDS * 1000;
    }
    this.circuits.set(channel, circuit);
  }

  health(channel: Channel, now = Date.now()): ProviderHealth {
    const circuit = this.circuits.get(channel);
    if (circuit === undefined || circuit.failures === 0) return 'up';
    if (circuit.openUntil > now) return 'down';
    return 'degraded';
  }

  /** Health of every channel with failures on record (missing = up). */
  snapshot(now = Date.now()): Partial<Record<Channel, ProviderHealth>> {
    const out: Partial<Record<Channel, ProviderHealth>> = {};
    for (const channel of this.circuits.keys()) out[channel] = this.health(channel, now);
    return out;
  }
}

@Module({ providers: [CircuitBreaker], exports: [CircuitBreaker] })
export class CircuitBreakerModule {}
