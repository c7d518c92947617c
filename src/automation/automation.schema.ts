import { z } from 'zod';
import { CHANNELS, URGENCIES } from '../common/names';

/** The domain events a rule may listen to (API.md, Integrations). */
export const AUTOMATION_EVENTS = [
  'message.received',
  'conversation.created',
  'conversation.updated',
  'sla.warning',
  'sla.breached',
  'csat.received',
  'follow_up.due',
] as const;
export type AutomationEvent = (typeof AUTOMATION_EVENTS)[number];

export const RFM_TIERS = ['core', 'potential', 'regular', 'edge'] as const;

const words = z.array(z.string().trim().min(1).max(200)).min(1).max(50);
const uuid = z.uuid();

/** When a rule applies; every condition of a rule must hold. */
export const ConditionSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('channel'), channels: z.array(z.enum(CHANNELS)).min(1) }).strict(),
    z.object({ type: z.literal('textContains'), values: words }).strict(),
    z.object({ type: z.literal('language'), locales: words }).strict(),
    z.object({ type: z.literal('tier'), tiers: z.array(z.enum(RFM_TIERS)).min(1) }).strict(),
    z
      .object({
        type: z.literal('tags'),
        tags: words,
        match: z.enum(['any', 'all', 'none']).default('any'),
      })
      .strict(),
    z
      .object({
        type: z.literal('attribute'),
        key: z.string().trim().min(1).max(100),
        equals: z.union([z.string().max(500), z.number(), z.boolean()]),
      })
      .strict(),
    z.object({ type: z.literal('team'), teamId: uuid.nullable() }).strict(),
    z
      .object({ type: z.literal('priority'), priorities: z.array(z.enum(URGENCIES)).min(1) })
      .strict(),
    z.object({ type: z.literal('businessHours'), inside: z.boolean() }).strict(),
  ],
  { error: 'unknown condition type' },
);
export type Condition = z.infer<typeof ConditionSchema>;

/** What a rule or a macro does, in order. */
export const ActionSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({ type: z.literal('assign'), teamId: uuid.optional(), agentId: uuid.optional() })
      .strict()
      .refine((a) => a.teamId || a.agentId, 'assign: give teamId, agentId or both'),
    z.object({ type: z.literal('addLabels'), labels: words }).strict(),
    z.object({ type: z.literal('removeLabels'), labels: words }).strict(),
    z.object({ type: z.literal('setPriority'), priority: z.enum(URGENCIES) }).strict(),
    z
      .object({ type: z.literal('replyTemplate'), template: z.string().trim().min(1).max(100) })
      .strict(),
    z.object({ type: z.literal('note'), text: z.string().trim().min(1).max(5000) }).strict(),
    z
      .object({ type: z.literal('setStatus'), status: z.enum(['open', 'pending', 'resolved']) })
      .strict(),
    z
      .object({
        type: z.literal('snooze'),
        minutes: z
          .number()
          .int()
          .min(1)
          .max(60 * 24 * 90),
      })
      .strict(),
    z.object({ type: z.literal('resolve') }).strict(),
    z
      .object({
        type: z.literal('webhook'),
        url: z.url({ protocol: /^https?$/ }).max(2000),
        secret: z.string().startsWith('whsec_').max(200).optional(),
      })
      .strict(),
    z
      .object({ type: z.literal('notify'), userId: uuid, text: z.string().max(500).optional() })
      .strict(),
  ],
  { error: 'unknown action type' },
);
export type Action = z.infer<typeof ActionSchema>;

const name = z.string().trim().min(1).max(200);
const actions = z.array(ActionSchema).min(1).max(20);

export const RuleBody = z
  .object({
    name,
    event: z.enum(AUTOMATION_EVENTS),
    conditions: z.array(ConditionSchema).max(20).default([]),
    actions,
    active: z.boolean().default(true),
    stopAfter: z.boolean().default(false),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();

export const RuleChangesBody = z
  .object({
    name: name.optional(),
    event: z.enum(AUTOMATION_EVENTS).optional(),
    conditions: z.array(ConditionSchema).max(20).optional(),
    actions: actions.optional(),
    active: z.boolean().optional(),
    stopAfter: z.boolean().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');

export const MacroBody = z.object({ name, actions, shared: z.boolean().default(false) }).strict();
export const MacroChangesBody = z
  .object({ name: name.optional(), actions: actions.optional(), shared: z.boolean().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
