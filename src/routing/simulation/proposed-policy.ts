/**
 * What a simulation may change: the routing defaults (as PUT /settings/routing-defaults takes
 * them, any part left out stays as in force) and how quiet hours treat messages. Pure.
 */
import { z } from 'zod';
import { DomainError } from '../../common/errors/domain-error';
import { describeZodError } from '../../common/http/zod-body';
import { PURPOSES, URGENCIES } from '../../common/names';
import type { RoutingPolicy } from '../decision/routing-types';
import { RoutingDefaultsSchema, type RoutingDefaults } from '../routing-defaults';

const shape = RoutingDefaultsSchema.shape;

/**
 * How quiet hours treat a message (the customer's own quiet hours: routing reads no default
 * for customers who set none, see stored-preferences.ts).
 */
export const ProposedQuietHoursSchema = z
  .object({
    exemptUrgencies: z
      .array(z.enum(URGENCIES))
      .optional()
      .describe('urgencies sent at once even in quiet hours (critical always is)'),
    suppressPurposes: z
      .array(z.enum(PURPOSES))
      .optional()
      .describe('purposes dropped instead of delayed during quiet hours'),
  })
  .strict();

export const ProposedPolicySchema = z
  .object({
    defaultRanking: shape.defaultRanking.partial().strict().optional(),
    frequencyCap: z
      .object({ perDay: z.number().int().min(0), perWeek: z.number().int().min(0) })
      .partial()
      .strict()
      .optional(),
    fallbackSeconds: shape.fallbackSeconds.partial().strict().optional(),
    quietHours: ProposedQuietHoursSchema.optional().describe(
      'simulation only: the routing defaults do not store quiet hours',
    ),
  })
  .strict();

export type ProposedPolicy = z.infer<typeof ProposedPolicySchema>;

/**
 * The defaults in force with the proposal laid over them, validated whole as the PUT would
 * (perWeek below perDay, a channel twice, ...): a 400 naming the field under `proposed.`.
 */
export function proposedDefaults(
  inForce: RoutingDefaults,
  proposed: ProposedPolicy,
): RoutingDefaults {
  const merged = {
    defaultRanking: { ...inForce.defaultRanking, ...proposed.defaultRanking },
    frequencyCap: { ...inForce.frequencyCap, ...proposed.frequencyCap },
    fallbackSeconds: { ...inForce.fallbackSeconds, ...proposed.fallbackSeconds },
  };
  const parsed = RoutingDefaultsSchema.safeParse(merged);
  if (!parsed.success) {
    const message = describeZodError(parsed.error)
      .split('; ')
      .map((part) => `proposed.${part}`)
      .join('; ');
    throw new DomainError('bad_request', message);
  }
  return parsed.data;
}

/** The policy with the proposal's quiet hours, when it has any. */
export function withProposedQuietHours(
  policy: RoutingPolicy,
  proposed: ProposedPolicy,
): RoutingPolicy {
  const q = proposed.quietHours;
  if (q === undefined) return policy;
  return {
    ...policy,
    quietHours: {
      ...policy.quietHours,
      exemptUrgencies: q.exemptUrgencies ?? policy.quietHours.exemptUrgencies,
      suppressPurposes: q.suppressPurposes ?? policy.quietHours.suppressPurposes,
    },
  };
}
