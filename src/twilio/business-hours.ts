const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

interface Range {
  days: Set<number>;
  from: number;
  to: number;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** "Mon-Fri 09:00-18:00, Sat 10:00-14:00" -> ranges (day spans may wrap, e.g. Sat-Mon). */
export function parseBusinessHours(spec: string): Range[] {
  return spec.split(',').map((part) => {
    const match = /^\s*(\w{3})(?:-(\w{3}))?\s+(\d\d:\d\d)-(\d\d:\d\d)\s*$/.exec(part);
    if (!match) throw new Error(`business hours: cannot read "${part.trim()}"`);
    const first = DAYS.indexOf(match[1] as (typeof DAYS)[number]);
    const last = DAYS.indexOf((match[2] ?? match[1]) as (typeof DAYS)[number]);
    if (first < 0 || last < 0) throw new Error(`business hours: unknown day in "${part.trim()}"`);
    const days = new Set<number>();
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
    return { days, from: minutes(match[3]), to: minutes(match[4]) };
  });
}

/** Whether `at` falls inside the business hours, read in `timezone` (IANA). */
export function inBusinessHours(spec: string, timezone: string, at: Date = new Date()): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(get('weekday') as (typeof DAYS)[number]);
  const now = Number(get('hour')) * 60 + Number(get('minute'));
  return parseBusinessHours(spec).some((r) => r.days.has(day) && now >= r.from && now < r.to);
}
