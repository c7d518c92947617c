import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SettingsRepository } from '../settings/settings.repository';
import { CircuitBreaker } from './circuit-breaker';
import { DEFAULT_ROUTING_POLICY, WHATSAPP_WINDOW_HOURS, type RoutingPolicy } from './decision';
import { applyDefaults, parseStoredDefaults, type RoutingDefaults } from './routing-defaults';

/** The settings key of the defaults an admin stored (JSON of RoutingDefaults). */
export const ROUTING_DEFAULTS_KEY = 'routing.defaults';
/** How long an instance keeps the stored defaults before reading them again. */
const CACHE_MS = 5_000;

/**
 * The routing policy: the defaults an admin stored (settings), else configuration (env), with
 * live provider health from the circuit breaker. The stored defaults are read at start and again
 * in the background once CACHE_MS old, so a change reaches every instance within seconds while
 * current() stays synchronous.
 */
@Injectable()
export class RoutingPolicyProvider implements OnModuleInit {
  private readonly log = new Logger('RoutingPolicy');
  /** The defaults as configuration gives them. */
  readonly environment: RoutingDefaults;
  private stored: RoutingDefaults | null = null;
  private policy: RoutingPolicy;
  private readAt = 0;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly breaker: CircuitBreaker,
    private readonly settings: SettingsRepository,
  ) {
    const env = config.env;
    const d = DEFAULT_ROUTING_POLICY;
    this.environment = {
      defaultRanking: {
        low: env.ROUTING_DEFAULT_LOW ?? [...d.defaultRanking.low],
        normal: env.ROUTING_DEFAULT_NORMAL ?? [...d.defaultRanking.normal],
        high: env.ROUTING_DEFAULT_HIGH ?? [...d.defaultRanking.high],
        critical: env.ROUTING_DEFAULT_CRITICAL ?? [...d.defaultRanking.critical],
      },
      frequencyCap: { perDay: env.MARKETING_CAP_PER_DAY, perWeek: env.MARKETING_CAP_PER_WEEK },
      fallbackSeconds: {
        normal: env.FALLBACK_NORMAL_SECONDS,
        high: env.FALLBACK_HIGH_SECONDS,
        critical: env.FALLBACK_CRITICAL_SECONDS,
        criticalRead: env.FALLBACK_CRITICAL_READ_SECONDS,
      },
    };
    this.policy = this.build();
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  current(now = Date.now()): RoutingPolicy {
    if (now - this.readAt > CACHE_MS && this.reading === null) void this.refresh();
    return { ...this.policy, providerHealth: this.breaker.snapshot(now) };
  }

  /** The defaults in force and where they come from. */
  defaults(): { defaults: RoutingDefaults; source: 'settings' | 'environment' } {
    return this.stored
      ? { defaults: this.stored, source: 'settings' }
      : { defaults: this.environment, source: 'environment' };
  }

  /** Stores new defaults (validated by the caller) and applies them on this instance at once. */
  async store(defaults: RoutingDefaults | null): Promise<void> {
    if (defaults === null) await this.settings.remove(ROUTING_DEFAULTS_KEY);
    else await this.settings.upsert(ROUTING_DEFAULTS_KEY, JSON.stringify(defaults));
    this.apply(defaults);
  }

  /** Reads the stored defaults again; a failed read keeps the ones in force. */
  refresh(): Promise<void> {
    this.reading ??= this.settings
      .valueOf(ROUTING_DEFAULTS_KEY)
      .then((json) => this.apply(parseStoredDefaults(json)))
      .catch((e: Error) => this.log.warn(`routing defaults not read: ${e.message}`))
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  private apply(stored: RoutingDefaults | null): void {
    this.stored = stored;
    this.readAt = Date.now();
    this.policy = this.build();
  }

  /** The policy these defaults would make (no provider health: every circuit closed). */
  withDefaults(d: RoutingDefaults): RoutingPolicy {
    return this.build(d);
  }

  private build(d: RoutingDefaults = this.stored ?? this.environment): RoutingPolicy {
    const env = this.config.env;
    return {
      ...applyDefaults(DEFAULT_ROUTING_POLICY, d, env.FALLBACK_SCALE),
      digestWindowMinutes: env.DIGEST_WINDOW_MINUTES,
      contactBudget: {
        holdOpenConversation: env.CONTACT_BUDGET_HOLD_OPEN_CONVERSATION,
        breachDays: env.CONTACT_BUDGET_BREACH_DAYS,
        minCsat: env.CONTACT_BUDGET_MIN_CSAT,
      },
      whatsapp: {
        windowHours: WHATSAPP_WINDOW_HOURS,
        approvedTemplates: env.WHATSAPP_APPROVED_TEMPLATES,
      },
    };
  }
}
