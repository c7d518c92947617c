/** Chart arithmetic for the reports page, kept apart from the SVG so it can be tested alone. */

/** The top of a value axis: the largest value rounded up to one significant digit (1 when empty). */
export function niceMax(values: number[]): number {
  const max = Math.max(0, ...values);
  if (max <= 0) return 1;
  const step = Math.pow(10, Math.floor(Math.log10(max)));
  return Math.ceil(max / step) * step;
}

/** The axis's ticks: bottom, middle and top, without a middle whose label repeats a neighbour's. */
export function axisTicks(max: number, format: (v: number) => string): Array<[number, string]> {
  const [bottom, middle, top] = [0, 0.5, 1].map((f) => format(max * f));
  return middle === bottom || middle === top
    ? [
        [0, bottom],
        [1, top],
      ]
    : [
        [0, bottom],
        [0.5, middle],
        [1, top],
      ];
}

/** A response time: "350ms", "12s", "4m", "1.5h". */
export function responseTime(seconds: number): string {
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)}h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)}m`;
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s`;
  return `${Math.round(seconds * 1000)}ms`;
}
