/** Business-hours clock for SLA targets: pure, over plain data. */
export interface BusinessCalendar {
  timezone: string;
  /** weekday 0 (Sunday)..6 -> ["HH:MM", "HH:MM"]; null = around the clock. */
  hours: Record<string, [string, string]> | null;
  /** ISO dates (in the team's timezone) with no business hours. */
  holidays: string[];
}

const MIN = 60_000;

/** Local wall-clock parts of `t` in `timeZone`. */
function local(t: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  }).formatToParts(new Date(t));
  const get = (k: string) => parts.find((p) => p.type === k)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the minute starting at `t` is inside business hours. */
export function isBusinessMinute(t: number, cal: BusinessCalendar): boolean {
  if (!cal.hours) return !cal.holidays.includes(local(t, cal.timezone).date);
  const l = local(t, cal.timezone);
  if (cal.holidays.includes(l.date)) return false;
  const window = cal.hours[String(l.weekday)];
  if (!window) return false;
  return l.minutes >= toMinutes(window[0]) && l.minutes < toMinutes(window[1]);
}

/**
 * The instant `seconds` of business time after `start`. Walks minute by minute through closed
 * time (capped at 60 days), so targets pause overnight, at weekends and on holidays.
 */
export function addBusinessSeconds(start: Date, seconds: number, cal: BusinessCalendar): Date {
  if (!cal.hours && cal.holidays.length === 0) return new Date(start.getTime() + seconds * 1000);
  let t = start.getTime();
  let left = seconds * 1000;
  const limit = t + 60 * 24 * 60 * MIN;
  while (left > 0 && t < limit) {
    const minuteEnd = (Math.floor(t / MIN) + 1) * MIN;
    const span = minuteEnd - t;
    if (isBusinessMinute(t, cal)) {
      if (left <= span) return new Date(t + left);
      left -= span;
    }
    t = minuteEnd;
  }
  return new Date(t);
}
