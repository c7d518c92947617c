import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { DomainError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { redisConnectionLog, redisKeyPrefix, redisTarget } from '../../queue/redis-options';

/**
 * Requests per API key and minute (API_KEY_REQUESTS_PER_MINUTE): one noisy integration cannot
 * starve the others. On Redis the count is shared by every instance; an in-memory limiter stands
 * in should Redis fail.
 */
@Injectable()
export class ApiKeyThrottle implements OnModuleDestroy {
  private readonly redis: Redis | null;
  private readonly limiter: RateLimiterAbstract;

  constructor(private readonly config: AppConfig) {
    const env = config.env;
    const redis = redisTarget(env);
    this.redis = redis ? new Redis({ ...redis.options, maxRetriesPerRequest: 1 }) : null;
    if (redis) this.redis?.on('error', redisConnectionLog.listener(redis));
    const opts = {
      keyPrefix: `${redisKeyPrefix(env.QUEUE_PREFIX)}:api-key-requests`,
      points: env.API_KEY_REQUESTS_PER_MINUTE,
      duration: 60,
    };
    const memory = new RateLimiterMemory(opts);
    this.limiter = this.redis
      ? new RateLimiterRedis({ ...opts, storeClient: this.redis, insuranceLimiter: memory })
      : memory;
  }

  /** Counts one request; 429 with details.retryAfterSeconds once the minute's count is used up. */
  async take(keyId: string, keyName: string): Promise<void> {
    try {
      await this.limiter.consume(keyId);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new DomainError(
        'too_many_requests',
        `API key "${keyName}" made more than ${this.config.env.API_KEY_REQUESTS_PER_MINUTE} requests this minute; retry in ${retryAfterSeconds} seconds`,
        { retryAfterSeconds },
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
