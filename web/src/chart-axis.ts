/** Value formats of the reports' charts and tables, kept apart so they can be tested alone. */

/** A response time: "350ms", "12s", "4m", "1.5h". */
export function responseTime(seconds: number): string {
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)}h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)}m`;
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s`;
  return `${Math.round(seconds * 1000)}ms`;
}
