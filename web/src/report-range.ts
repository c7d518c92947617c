/** The reports' date range: whole local days, as the date inputs give them ("2026-12-03"). */
export type DateRange = { from: string; to: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** A local date as an input of type date holds it. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The last `days` days, today included. */
export function lastDays(days: number, now = new Date()): DateRange {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return { from: localDate(from), to: localDate(now) };
}

/**
 * The API's window for a range: from the start of the first day to the start of the day after
 * the last, both local midnight, as ISO instants; null when the range is empty or backwards.
 */
export function apiWindow(range: DateRange): { from: string; to: string } | null {
  const parse = (s: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  };
  const from = parse(range.from);
  const last = parse(range.to);
  if (!from || !last || last < from) return null;
  const to = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}
