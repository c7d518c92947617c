/** Quiet-hours arithmetic in the customer's timezone. Pure and allocation-free. */
import { utcOffsetMs } from './local-time';
import type { QuietHours } from './routing-types';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

/** "HH:MM" -> minutes after midnight; -1 when malformed. */
export function parseClock(clock: string): number {
  if (clock.length !== 5 || clock.charCodeAt(2) !== 58) return -1;
  const h1 = clock.charCodeAt(0) - 48,
    h2 = clock.charCodeAt(1) - 48;
  const m1 = clock.charCodeAt(3) - 48,
    m2 = clock.charCodeAt(4) - 48;
  if (h1 < 0 || h1 > 9 || h2 < 0 || h2 > 9 || m1 < 0 || m1 > 5 || m2 < 0 || m2 > 9) return -1;
  const hours = h1 * 10 + h2;
  if (hours > 24) return -1;
  const minutes = hours * 60 + m1 * 10 + m2;
  return minutes > DAY_MINUTES ? -1 : minutes % DAY_MINUTES;
}

/**
 * When quiet hours hold at `nowMs`, the UTC instant (ms) at which they end; otherwise -1.
 * A window whose start equals its end, or a malformed one, is never quiet.
 */
export function quietUntil(quiet: QuietHours, timezone: string, nowMs: number): number {
  const start = parseClock(quiet.start);
  const end = parseClock(quiet.end);
  if (start < 0 || end < 0 || start === end) return -1;
  const offset = utcOffsetMs(timezone, nowMs);
  const localMs = nowMs + offset;
  const minuteOfDay = Math.floor(
    (((localMs / MINUTE_MS) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES,
  );
  const inside =
    start < end
      ? minuteOfDay >= start && minuteOfDay < end
      : minuteOfDay >= start || minuteOfDay < end;
  if (!inside) return -1;
  const minutesLeft = (end - minuteOfDay + DAY_MINUTES) % DAY_MINUTES;
  const intoMinute = ((localMs % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
  const localEnd = localMs - intoMinute + minutesLeft * MINUTE_MS;
  // The window may cross a DST change: convert the wall-clock end with the offset in force then.
  const endOffset = utcOffsetMs(timezone, localEnd - offset);
  const utcEnd = localEnd - endOffset;
  return utcEnd > nowMs ? utcEnd : localEnd - offset;
}
