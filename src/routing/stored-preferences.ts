import { CHANNELS, URGENCIES, type Channel, type Urgency } from '../common/names';
import type { PreferenceRow, QuietHours } from './decision';

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const URGENCY_SET: ReadonlySet<string> = new Set([...URGENCIES, '*']);

/** The preference matrix as stored in customers.preferences, keeping only well-formed rows. */
export function matrixRows(value: unknown): PreferenceRow[] {
  if (!Array.isArray(value)) return [];
  const rows: PreferenceRow[] = [];
  for (const item of value as Array<Record<string, unknown>>) {
    if (
      typeof item?.topic !== 'string' ||
      typeof item.urgency !== 'string' ||
      !URGENCY_SET.has(item.urgency) ||
      !Array.isArray(item.channels)
    )
      continue;
    const channels = (item.channels as unknown[]).filter(
      (c): c is Channel => typeof c === 'string' && CHANNEL_SET.has(c),
    );
    rows.push({ topic: item.topic, urgency: item.urgency as Urgency | '*', channels });
  }
  return rows;
}

/** Stored quiet hours, or null when the customer has none. */
export function quietHours(value: unknown): QuietHours | null {
  const q = value as { start?: unknown; end?: unknown } | null | undefined;
  if (q && typeof q.start === 'string' && typeof q.end === 'string')
    return { start: q.start, end: q.end };
  return null;
}
