import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'crypto';
import Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { redisConnectionLog, redisKeyPrefix, redisTarget } from '../queue/redis-options';

/**
 * Failed logins per account and per client address (LOGIN_MAX_FAILURES_PER_ACCOUNT and
 * LOGIN_MAX_FAILURES_PER_IP within LOGIN_FAILURE_WINDOW_SECONDS). Only failures count; a
 * success clears its account's count. Once either count is used up, every attempt (a right
 * password too, else guessing would go on) is refused with 429 until the window ends. On Redis
 * the counts are shared by every instance (an in-memory limiter stands in should Redis fail).
 * An account's count belongs to one generation of its sessions (the user's token version): a
 * password reset, which moves the generation, starts a fresh count wherever the old one is kept.
 */
/** Whose failures count: the e-mail as given, and the generation (0 for an unknown account). */
export interface ThrottledAccount {
  email: string;
  generation: number;
}

@Injectable()
export class LoginThrottle implements OnModuleDestroy {
  private readonly log = new Logger('LoginThrottle');
  private readonly redis: Redis | null;
  private readonly account: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;

  constructor(private readonly config: AppConfig) {
    const env = config.env;
    const redis = redisTarget(env);
    this.redis = redis ? new Redis({ ...redis.options, maxRetriesPerRequest: 1 }) : null;
    // Connection trouble is logged once per reconnect attempt with every other Redis client's.
    if (redis) this.redis?.on('error', redisConnectionLog.listener(redis));
    const make = (name: string, points: number): RateLimiterAbstract => {
      const opts = {
        keyPrefix: `${redisKeyPrefix(env.QUEUE_PREFIX)}:login-failures:${name}`,
        points,
        duration: env.LOGIN_FAILURE_WINDOW_SECONDS,
      };
      const memory = new RateLimiterMemory(opts);
      return this.redis
        ? new RateLimiterRedis({ ...opts, storeClient: this.redis, insuranceLimiter: memory })
        : memory;
    };
    this.account = make('account', env.LOGIN_MAX_FAILURES_PER_ACCOUNT);
    this.address = make('address', env.LOGIN_MAX_FAILURES_PER_IP);
  }

  /** Refuses (429, with the seconds to wait in details.retryAfterSeconds) when either count is used up. */
  async assertAllowed(account: ThrottledAccount, ip: string): Promise<void> {
    const { email } = account;
    const [byAccount, byAddress] = await Promise.all([
      this.account.get(accountKey(account)),
      this.address.get(ip),
    ]);
    const waits = [
      blockedFor(byAccount, this.config.env.LOGIN_MAX_FAILURES_PER_ACCOUNT),
      blockedFor(byAddress, this.config.env.LOGIN_MAX_FAILURES_PER_IP),
    ];
    const [accountWait, addressWait] = waits;
    if (accountWait === null && addressWait === null) return;
    const retryAfterSeconds = Math.max(accountWait ?? 0, addressWait ?? 0);
    const what = accountWait !== null ? 'this account' : 'this address';
    // The logger masks the e-mail address; the password is never at hand here.
    this.log.warn(
      `login refused: too many failed logins for ${accountWait !== null ? `account ${email}` : 'address'} from ${ip}; retry in ${retryAfterSeconds}s`,
    );
    throw new DomainError(
      'too_many_requests',
      `too many failed logins for ${what}; try again in ${retryAfterSeconds} seconds`,
      { retryAfterSeconds },
    );
  }

  async failed(account: ThrottledAccount, ip: string): Promise<void> {
    await Promise.all([consume(this.account, accountKey(account)), consume(this.address, ip)]);
  }

  async succeeded(account: ThrottledAccount): Promise<void> {
    await this.account.delete(accountKey(account));
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/** Keys hold a digest, not the address: no e-mail address sits in Redis. */
const accountKey = ({ email, generation }: ThrottledAccount) =>
  `${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}:${generation}`;

function blockedFor(res: RateLimiterRes | null, max: number): number | null {
  if (!res || res.consumedPoints < max) return null;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** A failure past the limit is still counted; the limiter's refusal is the expected answer then. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
  }
}
