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

/** A sliding-window limiter per key (one process; counts what this instance saw). */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limit: RateLimit) {}

  /** Records a hit and says whether it is allowed; refused hits are not counted. */
  take(key: string, now = Date.now()): boolean {
    const since = now - this.limit.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.limit.count) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.sweep(since);
    return true;
  }

  describe(): string {
    return `${this.limit.count} messages per ${this.limit.windowMs / 1000} s`;
  }

  private sweep(since: number): void {
    for (const [key, list] of this.hits) if (!list.some((t) => t > since)) this.hits.delete(key);
  }
}
