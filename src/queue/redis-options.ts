import { Logger } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { SOCKET_ERROR_CODES } from '../common/socket-errors';

/** Longest wait between two connection attempts, at start and after a drop. */
export const REDIS_RETRY_MAX_MS = 5000;

/** Wait before attempt `n + 1` (n >= 1): 250 ms doubling up to REDIS_RETRY_MAX_MS. */
export function redisRetryDelay(attempt: number): number {
  return Math.min(250 * 2 ** Math.max(0, attempt - 1), REDIS_RETRY_MAX_MS);
}

/** ioredis options from a redis:// or rediss:// URL (BullMQ wants options, not a URL). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  const host = u.hostname;
  const port = u.port ? Number(u.port) : 6379;
  return { host, port, ...credentialsFromUrl(u), ...reconnecting(`${host}:${port}`) };
}

/** What a REDIS_URL says besides where Redis is: user, password, database, TLS. */
function credentialsFromUrl(u: URL): RedisOptions {
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isFinite(db) ? db : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * Every client of this endpoint (each queue, each worker and its blocking connection,
 * socket.io's pair) reconnects on the same schedule; the log says so once per attempt.
 * maxRetriesPerRequest null: a command waits for the reconnection (BullMQ's workers need it).
 */
function reconnecting(endpoint: string): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => {
      const delay = redisRetryDelay(times);
      redisConnectionLog.retrying(endpoint, times, delay);
      return delay;
    },
  };
}

/** The part of the configuration that says where Redis is. */
export interface RedisEnv {
  REDIS_URL?: string;
  REDIS_SENTINELS?: { host: string; port: number }[];
  REDIS_SENTINEL_NAME: string;
}

/** How every Redis client of the hub connects, and the name its log lines give it. */
export interface RedisTarget {
  options: RedisOptions;
  endpoint: string;
}

/**
 * The one place that builds the hub's Redis connection options. REDIS_SENTINELS set: the
 * master named REDIS_SENTINEL_NAME as the Sentinels report it, asked again at each reconnect,
 * so a client follows a failover (REDIS_URL, if given, adds only its user, password, database
 * and TLS; its host is not used). Else REDIS_URL. Neither: no Redis (undefined).
 */
export function redisTarget(env: RedisEnv): RedisTarget | undefined {
  const sentinels = env.REDIS_SENTINELS;
  if (sentinels?.length) {
    const endpoint = `sentinel master ${env.REDIS_SENTINEL_NAME} (${sentinels.map((s) => `${s.host}:${s.port}`).join(',')})`;
    return {
      endpoint,
      options: {
        sentinels,
        name: env.REDIS_SENTINEL_NAME,
        ...(env.REDIS_URL ? credentialsFromUrl(new URL(env.REDIS_URL)) : {}),
        ...reconnecting(endpoint),
        // A client still on a master that was demoted (its writes refused) reconnects, through
        // the Sentinels, to the new master and sends the refused command again.
        reconnectOnError: (e: Error) => (/^READONLY/.test(e.message) ? 2 : false),
      },
    };
  }
  if (!env.REDIS_URL) return undefined;
  const { host, port } = redisOptionsFromUrl(env.REDIS_URL);
  return { endpoint: `${host}:${port}`, options: redisOptionsFromUrl(env.REDIS_URL) };
}

/**
 * The prefix of every key the hub writes in Redis: QUEUE_PREFIX as a hash tag (`{hub}`), so
 * all of them (a BullMQ queue's keys, socket.io's channels, the limiters' counters) hash to one
 * Redis Cluster slot and no multi-key command spans two.
 */
export function redisKeyPrefix(queuePrefix: string): string {
  return `{${queuePrefix}}`;
}

/** Error codes and messages of a connection that failed or dropped (not of a command). */
const CONNECTION_CODES = new Set<string>(SOCKET_ERROR_CODES);
const CONNECTION_MESSAGES = /connection is closed|connect etimedout|stream isn't writeable/i;

export function isRedisConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; name?: unknown } | null;
  if (!err) return false;
  if (typeof err.code === 'string' && CONNECTION_CODES.has(err.code)) return true;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  return typeof err.message === 'string' && CONNECTION_MESSAGES.test(err.message);
}

interface EndpointState {
  /** Highest attempt logged in the current outage. */
  logged: number;
  lastRetryAt: number;
  lastError?: string;
}

/**
 * Connection trouble of every Redis client funnelled into one warning per reconnect attempt:
 * `Redis 127.0.0.1:6379 unreachable (connect ECONNREFUSED ...): attempt 3, next in 1000 ms`.
 * Clients report their connection errors here (recorded, not logged: the attempt line carries
 * the last one), and their retry strategy reports each attempt; the first client to reach an
 * attempt number logs it. An outage ends when no client has retried for longer than the
 * longest wait, so the next one counts from 1 again.
 */
export class RedisConnectionLog {
  private readonly endpoints = new Map<string, EndpointState>();

  constructor(
    private readonly logger: Pick<Logger, 'warn'> = new Logger('Redis'),
    private readonly now: () => number = Date.now,
  ) {}

  private state(endpoint: string): EndpointState {
    let s = this.endpoints.get(endpoint);
    if (!s) {
      s = { logged: 0, lastRetryAt: 0 };
      this.endpoints.set(endpoint, s);
    }
    return s;
  }

  /** A client's connection error: kept for the next attempt line. Anything else is logged. */
  error(endpoint: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    if (isRedisConnectionError(e)) this.state(endpoint).lastError = message;
    else this.logger.warn(`Redis ${endpoint}: ${message}`);
  }

  retrying(endpoint: string, attempt: number, delayMs: number): void {
    const s = this.state(endpoint);
    const t = this.now();
    if (t - s.lastRetryAt > REDIS_RETRY_MAX_MS + 1000) s.logged = 0;
    s.lastRetryAt = t;
    if (attempt <= s.logged) return;
    s.logged = attempt;
    this.logger.warn(
      `Redis ${endpoint} unreachable${s.lastError ? ` (${s.lastError})` : ''}: attempt ${attempt}, next in ${delayMs} ms`,
    );
  }

  /** A listener for a client's or a BullMQ queue's 'error' event. */
  listener(target: Pick<RedisTarget, 'endpoint'>): (e: unknown) => void {
    return (e) => this.error(target.endpoint, e);
  }
}

/** The process's funnel (Nest's logger, so it reaches pino once the app has set it up). */
export const redisConnectionLog = new RedisConnectionLog();

/**
 * Start-up: waits until Redis answers PING, one line per failed attempt, then returns. The
 * queues, workers and socket.io clients are made only after this, so a Redis that is down at
 * start costs a line every few seconds rather than each client's stack traces.
 */
export async function waitForRedis(
  target: RedisTarget,
  logger: Pick<Logger, 'warn' | 'log'>,
  opts: { connectTimeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    const client = new Redis({
      ...target.options,
      lazyConnect: true,
      retryStrategy: () => null,
      // One pass over the Sentinels per attempt; this loop is the retry.
      sentinelRetryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: opts.connectTimeoutMs ?? 2000,
    });
    // The socket's own error (ECONNREFUSED...) says more than connect()'s 'Connection is closed';
    // without a listener ioredis would also print it to stderr.
    let socketError: string | undefined;
    client.on('error', (e: Error) => (socketError ??= e.message));
    let failure: string | undefined;
    const timeoutMs = opts.connectTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    try {
      // A server that accepts and never answers must fail the attempt too.
      await Promise.race([
        client.connect().then(() => client.ping()),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (e) {
      failure = socketError ?? (e as Error).message;
    } finally {
      clearTimeout(timer);
      client.disconnect();
    }
    if (failure === undefined) {
      if (attempt > 1)
        logger.log(`Redis ${target.endpoint} answers after ${attempt} attempts`, 'Redis');
      return;
    }
    const delay = redisRetryDelay(attempt);
    logger.warn(
      `Redis ${target.endpoint} not reachable at start (${failure}): attempt ${attempt}, next in ${delay} ms`,
      'Redis',
    );
    await sleep(delay);
  }
}
