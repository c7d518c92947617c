/** Latency per operation kind and errors per kind and reason, as the soak's load records them. */
export class Stats {
  private readonly latencies = new Map<string, number[]>();
  private readonly errors = new Map<string, Map<string, number>>();

  latency(kind: string, ms: number): void {
    const list = this.latencies.get(kind) ?? [];
    list.push(ms);
    this.latencies.set(kind, list);
  }

  error(kind: string, reason: string): void {
    const byReason = this.errors.get(kind) ?? new Map<string, number>();
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    this.errors.set(kind, byReason);
  }

  /** p99 of each kind, in whole milliseconds. */
  p99(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [kind, list] of this.latencies) out[kind] = percentile(list, 0.99);
    return out;
  }

  count(kind: string): number {
    return this.latencies.get(kind)?.length ?? 0;
  }

  /** {kind: {reason: n}}: every failed attempt, retried or not. */
  errorCounts(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [kind, byReason] of this.errors) out[kind] = Object.fromEntries(byReason);
    return out;
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
}

/** A short reason for a failed attempt: the HTTP status, or the error code of the connection. */
export function reasonOf(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string }; name?: string; message?: string };
  // AbortSignal.timeout's DOMException carries a numeric legacy code (23): name it instead.
  if (err.name === 'TimeoutError') return 'timeout';
  return err.cause?.code ?? err.code ?? (err.message ?? String(e)).slice(0, 60);
}
