/** What one part of the hub says about itself; `status` decides, the rest is shown as is. */
export interface PartHealth {
  status: 'up' | 'down' | 'degraded';
  [detail: string]: unknown;
}

export type HealthCheck = () => PartHealth | Promise<PartHealth>;

export interface HealthReport {
  status: 'ok' | 'error';
  /** Parts that are up (or degraded: working, with something to say). */
  info: Record<string, PartHealth>;
  /** Parts that are down. */
  error: Record<string, PartHealth>;
  details: Record<string, PartHealth>;
  /** `database: no answer within 1500 ms; queue: ...` when something is down. */
  message?: string;
}

/** Each check's own bound: well inside the 2 s a /health caller may wait for the whole answer. */
export const HEALTH_CHECK_TIMEOUT_MS = 1500;

/**
 * Runs every check at once, each bounded by `timeoutMs`: a check that throws or does not answer
 * in time is that part down, with why, and never holds up the others or the answer.
 */
export async function runHealthChecks(
  checks: Record<string, HealthCheck>,
  timeoutMs = HEALTH_CHECK_TIMEOUT_MS,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(
      async ([name, check]) => [name, await bounded(check, timeoutMs)] as const,
    ),
  );
  const details = Object.fromEntries(entries);
  const down = entries.filter(([, p]) => p.status === 'down');
  const info = Object.fromEntries(entries.filter(([, p]) => p.status !== 'down'));
  return {
    status: down.length ? 'error' : 'ok',
    info,
    error: Object.fromEntries(down),
    details,
    ...(down.length
      ? {
          message: down
            .map(([name, p]) => `${name}: ${typeof p.message === 'string' ? p.message : 'down'}`)
            .join('; '),
        }
      : {}),
  };
}

async function bounded(check: HealthCheck, timeoutMs: number): Promise<PartHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<PartHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'down', message: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch (e) {
    return { status: 'down', message: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}
