import { z } from 'zod';
import { CHANNELS, CONVERSATION_STATUSES, URGENCIES } from '../common/names';

export const MAX_REPLY_CHARS = 10_000;

export const ListQuery = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assignee: z
    .string()
    .refine(
      (v) => v === 'me' || v === 'none' || z.uuid().safeParse(v).success,
      'must be me, none or an agent id',
    )
    .optional(),
  channel: z.enum(CHANNELS).optional(),
  team: z.string().uuid().optional(),
  priority: z.enum(URGENCIES).optional(),
  tag: z.string().min(1).max(100).optional(),
  customerId: z.string().uuid().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListFilters = z.infer<typeof ListQuery>;

const text = z
  .string({ error: 'text: required, a string' })
  .refine((t) => t.trim().length > 0, 'must not be empty')
  .refine((t) => t.length <= MAX_REPLY_CHARS, `must be at most ${MAX_REPLY_CHARS} characters`);

export const ReplyBody = z.object({
  text,
  channel: z.enum(CHANNELS).optional(),
  /** Uploads (POST /api/v1/attachments) to send with the reply; e-mail carries them. */
  attachmentIds: z.array(z.uuid()).max(10).optional(),
});
export const NoteBody = z.object({ text });
/** What the customer hears when they answer (the voice channel speaks up to 1,000 characters). */
export const CallBody = z.object({ text: z.string().trim().max(1000).optional() });
export const StatusBody = z
  .object({
    status: z.enum(CONVERSATION_STATUSES),
    snoozeUntil: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.status === 'snoozed') {
      if (!b.snoozeUntil)
        ctx.addIssue({
          code: 'custom',
          path: ['snoozeUntil'],
          message: 'required when status is snoozed',
        });
      else if (Date.parse(b.snoozeUntil) <= Date.now())
        ctx.addIssue({ code: 'custom', path: ['snoozeUntil'], message: 'must be in the future' });
    }
  });
export const AssignBody = z
  .object({
    agentId: z.string().uuid().nullable().optional(),
    teamId: z.string().uuid().nullable().optional(),
  })
  .refine((b) => b.agentId !== undefined || b.teamId !== undefined, {
    message: 'agentId or teamId is required',
    path: ['agentId'],
  });
export const TagsBody = z.object({ tags: z.array(z.string().trim().min(1).max(100)).max(50) });
export const PriorityBody = z.object({ priority: z.enum(URGENCIES) });
export const FollowUpBody = z.object({
  at: z.iso.datetime({ offset: true }),
  note: z.string().max(2000).default(''),
});

/** How many conversations one bulk request may change. */
export const MAX_BULK_IDS = 100;
const snoozeRule = (
  b: { status: string; snoozeUntil?: string },
  ctx: z.RefinementCtx,
  path: string[],
) => {
  if (b.status !== 'snoozed') return;
  if (!b.snoozeUntil)
    ctx.addIssue({ code: 'custom', path, message: 'required when status is snoozed' });
  else if (Date.parse(b.snoozeUntil) <= Date.now())
    ctx.addIssue({ code: 'custom', path, message: 'must be in the future' });
};
export const BulkAction = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('assign'),
    agentId: z.string().uuid().nullable().optional(),
    teamId: z.string().uuid().nullable().optional(),
  }),
  z.object({
    type: z.literal('status'),
    status: z.enum(CONVERSATION_STATUSES),
    snoozeUntil: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({ type: z.literal('priority'), priority: z.enum(URGENCIES) }),
  z.object({
    type: z.literal('addTags'),
    tags: z.array(z.string().trim().min(1).max(100)).min(1).max(50),
  }),
]);
export type BulkActionInput = z.infer<typeof BulkAction>;
export const BulkBody = z
  .object({
    ids: z
      .array(z.string().uuid())
      .min(1)
      .max(MAX_BULK_IDS, `must hold at most ${MAX_BULK_IDS} conversation ids`),
    action: BulkAction,
  })
  .superRefine((b, ctx) => {
    const a = b.action;
    if (a.type === 'assign' && a.agentId === undefined && a.teamId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['action', 'agentId'],
        message: 'agentId or teamId is required',
      });
    if (a.type === 'status') snoozeRule(a, ctx, ['action', 'snoozeUntil']);
  });
