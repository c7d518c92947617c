import { z } from 'zod';

/**
 * An IANA time zone name ("Asia/Shanghai", "UTC", "Etc/GMT+8") that both Intl and PostgreSQL
 * read the same way. Offsets such as "+08:00" are refused: Intl takes them, but PostgreSQL
 * reads a bare offset as POSIX (sign inverted), and they are not zones.
 */
export function isIanaTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

export const IANA_TIME_ZONE_MESSAGE = 'must be an IANA time zone such as Asia/Shanghai or UTC';

/** A request or config field holding a time zone. */
export const timeZoneSchema = z.string().max(64).refine(isIanaTimeZone, IANA_TIME_ZONE_MESSAGE);
