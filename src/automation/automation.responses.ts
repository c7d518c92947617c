import { z } from 'zod';
import { InboxConversationSchema } from '../inbox/inbox.responses';
import { ActionSchema, AUTOMATION_EVENTS, ConditionSchema } from './automation.schema';

export const AutomationRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  event: z.enum(AUTOMATION_EVENTS),
  conditions: z.array(ConditionSchema),
  actions: z.array(ActionSchema),
  active: z.boolean(),
  stopAfter: z.boolean(),
  position: z.number().int(),
  fireCount: z.number().int(),
  lastFiredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const AutomationRuleListResponse = z.object({ items: z.array(AutomationRuleSchema) });

export const MacroSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  actions: z.array(ActionSchema),
  shared: z.boolean(),
  ownerId: z.uuid(),
  ownerName: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export const MacroListResponse = z.object({ items: z.array(MacroSchema) });

export const MacroRunResponse = z.object({
  macroId: z.uuid(),
  results: z.array(z.object({ type: z.string(), ok: z.boolean(), error: z.string().optional() })),
  conversation: InboxConversationSchema,
});
