/** Snooze choices offered in one click, computed in the agent's local time. */
export type SnoozePreset = 'hour' | 'evening' | 'tomorrow' | 'nextWeek';

function at(base: Date, dayOffset: number, hour: number): Date {
  const d = new Date(base);
  d.setDate(d.getDate() + dayOffset);
  d.setHours(hour, 0, 0, 0);
  return d;
}

/**
 * In an hour; this evening at 18:00 (only while it is before 17:00); tomorrow at 09:00; next Monday
 * at 09:00 (a week on when today is Monday). Times are the browser's local time.
 */
export function snoozePresets(now: Date): Array<{ key: SnoozePreset; at: Date }> {
  const out: Array<{ key: SnoozePreset; at: Date }> = [
    { key: 'hour', at: new Date(now.getTime() + 3600_000) },
  ];
  if (now.getHours() < 17) out.push({ key: 'evening', at: at(now, 0, 18) });
  out.push({ key: 'tomorrow', at: at(now, 1, 9) });
  const toMonday = (8 - now.getDay()) % 7 || 7;
  out.push({ key: 'nextWeek', at: at(now, toMonday, 9) });
  return out;
}

/** A `datetime-local` input's value (local time, minutes) for a date. */
export function localInputValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
