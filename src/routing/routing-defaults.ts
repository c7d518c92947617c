import { z } from 'zod';
import { CHANNELS } from '../common/names';
import type { FallbackRule, RoutingPolicy } from './decision';

const ranking = z
  .array(z.enum(CHANNELS))
  .min(1, 'list at least one channel')
  .refine((list) => new Set(list).size === list.length, 'a channel may appear once');
const seconds = (max: number) => z.number().int().min(0).max(max);

/**
 * What an admin may change of the routing policy (everything else stays as configured). Fallback
 * seconds of 0 mean no fallback for that urgency; criticalRead of 0 turns the read check off.
 */
export const RoutingDefaultsSchema = z
  .object({
    defaultRanking: z.object({ low: ranking, normal: ranking, high: ranking, critical: ranking }),
    frequencyCap: z
      .object({ perDay: seconds(1000), perWeek: seconds(1000) })
      .refine((c) => c.perWeek >= c.perDay, {
        message: 'perWeek must be at least perDay',
        path: ['perWeek'],
      }),
    fallbackSeconds: z.object({
      normal: seconds(7 * 86400),
      high: seconds(7 * 86400),
      critical: seconds(7 * 86400),
      criticalRead: seconds(7 * 86400),
    }),
  })
  .strict();

export type RoutingDefaults = z.infer<typeof RoutingDefaultsSchema>;

/** The stored JSON read back; anything that no longer validates is ignored (env applies). */
export function parseStoredDefaults(json: string | null): RoutingDefaults | null {
  if (json === null) return null;
  try {
    const parsed = RoutingDefaultsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The base policy with the defaults applied; every fallback time is multiplied by `scale`. */
export function applyDefaults(
  base: RoutingPolicy,
  d: RoutingDefaults,
  scale: number,
): RoutingPolicy {
  const rule = (s: number, prev: FallbackRule | null, readSeconds = 0): FallbackRule | null =>
    s <= 0
      ? null
      : {
          afterSeconds: s * scale,
          unless: prev?.unless ?? 'delivered',
          ...(readSeconds > 0 ? { readWithinSeconds: readSeconds * scale } : {}),
        };
  return {
    ...base,
    defaultRanking: d.defaultRanking,
    frequencyCap: d.frequencyCap,
    fallback: {
      low: base.fallback.low,
      normal: rule(d.fallbackSeconds.normal, base.fallback.normal),
      high: rule(d.fallbackSeconds.high, base.fallback.high),
      critical: rule(
        d.fallbackSeconds.critical,
        base.fallback.critical,
        d.fallbackSeconds.criticalRead,
      ),
    },
  };
}
