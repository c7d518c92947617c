/** Prints benchmark figures for people, then one JSON line for machines (always last). */
export function report(
  bench: string,
  figures: Record<string, number | string>,
  lines: string[] = [],
): void {
  for (const line of lines) process.stdout.write(`${line}\n`);
  for (const [name, value] of Object.entries(figures))
    process.stdout.write(`  ${name}: ${value}\n`);
  process.stdout.write(`${JSON.stringify({ bench, ...figures })}\n`);
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
