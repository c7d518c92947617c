import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';
import { redisConnectionLog, redisKeyPrefix, redisTarget } from '../queue/redis-options';

/** "10/10s" -> at most 10 events per 10-second window. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

export function parseRateLimit(spec: string): RateLimit {
  const m = /^(\d+)\/(\d+)s$/.exec(spec.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new Error(`CHAT_RATE_LIMIT: must look like 10/10s, got ${spec}`);
  return { count: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}

/** A limit of `points` per `seconds`, keyed per visitor, address or claim. */
export interface LimitSpec {
  name: string;
  points: number;
  seconds: number;
}

/**
 * One limiter per key: `take(key)` answers null when allowed, else the seconds to wait.
 * On Redis the counts are shared by every instance; should Redis fail, an in-memory limiter
 * of the same limits stands in (rate-limiter-flexible's insurance) rather than letting all through.
 */
export class KeyedLimiter {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    readonly spec: LimitSpec,
  ) {}

  async take(key: string): Promise<number | null> {
    try {
      await this.limiter.consume(key);
      return null;
    } catch (e) {
      if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw e;
    }
  }

  /** Gives back a point taken for a request that then failed for another reason. */
  async refund(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }
}

/** The live chat's limiters: on Redis -> RateLimiterRedis (one client), else in memory. */
@Injectable()
export class ChatLimiters implements OnModuleDestroy {
  private readonly redis: Redis | null;
  private readonly prefix: string;

  constructor(config: AppConfig) {
    const redis = redisTarget(config.env);
    this.prefix = `${redisKeyPrefix(config.env.QUEUE_PREFIX)}:rl`;
    if (redis) {
      this.redis = new Redis({ ...redis.options, maxRetriesPerRequest: 1 });
      // Connection trouble is logged once per reconnect attempt with every other Redis client's.
      this.redis.on('error', redisConnectionLog.listener(redis));
    } else this.redis = null;
  }

  create(spec: LimitSpec): KeyedLimiter {
    const opts = {
      keyPrefix: `${this.prefix}:${spec.name}`,
      points: spec.points,
      duration: spec.seconds,
    };
    const memory = new RateLimiterMemory(opts);
    const limiter = this.redis
      ? new RateLimiterRedis({ ...opts, storeClient: this.redis, insuranceLimiter: memory })
      : memory;
    return new KeyedLimiter(limiter, spec);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
