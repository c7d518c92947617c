/**
 * UTC offsets of IANA timezones, cached. Offsets only change on 15-minute UTC boundaries, so
 * each timezone keeps the offsets of the 15-minute buckets recently asked for; the hot path
 * does Map lookups and no Intl call once a bucket is known.
 */
const BUCKET_MS = 15 * 60 * 1000;
const MAX_BUCKETS_PER_ZONE = 256;

interface ZoneCache {
  format: Intl.DateTimeFormat | null;
  offsets: Map<number, number>;
}

const zones = new Map<string, ZoneCache>();

function zoneOf(timezone: string): ZoneCache {
  let zone = zones.get(timezone);
  if (zone === undefined) {
    let format: Intl.DateTimeFormat | null = null;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (e) {
      // Intl refuses a name that is not an IANA zone with a RangeError: that zone reads as UTC
      // (isKnownTimezone says false). Anything else is not about the name.
      if (!(e instanceof RangeError)) throw e;
      format = null;
    }
    zone = { format, offsets: new Map() };
    zones.set(timezone, zone);
  }
  return zone;
}

function computeOffset(format: Intl.DateTimeFormat, epochMs: number): number {
  const parts = format.formatToParts(epochMs);
  let y = 0,
    mo = 0,
    d = 0,
    h = 0,
    mi = 0,
    s = 0;
  for (const part of parts) {
    switch (part.type) {
      case 'year':
        y = Number(part.value);
        break;
      case 'month':
        mo = Number(part.value);
        break;
      case 'day':
        d = Number(part.value);
        break;
      case 'hour':
        h = Number(part.value);
        break;
      case 'minute':
        mi = Number(part.value);
        break;
      case 'second':
        s = Number(part.value);
        break;
      default:
        break;
    }
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const floored = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return wall - floored;
}

/** True when the timezone is a valid IANA name (invalid ones are treated as UTC). */
export function isKnownTimezone(timezone: string): boolean {
  return zoneOf(timezone).format !== null;
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in the timezone. */
export function utcOffsetMs(timezone: string, epochMs: number): number {
  const zone = zoneOf(timezone);
  if (zone.format === null) return 0;
  const bucket = Math.floor(epochMs / BUCKET_MS);
  let offset = zone.offsets.get(bucket);
  if (offset === undefined) {
    if (zone.offsets.size >= MAX_BUCKETS_PER_ZONE) zone.offsets.clear();
    offset = computeOffset(zone.format, bucket * BUCKET_MS);
    zone.offsets.set(bucket, offset);
  }
  return offset;
}
