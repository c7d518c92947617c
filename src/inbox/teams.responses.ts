import { z } from 'zod';
import { CHANNELS, URGENCIES } from '../common/names';

/** The shapes the teams and SLA policies routes answer with, for the OpenAPI document. */
export const TeamResponse = z.object({
  id: z.uuid(),
  name: z.string().meta({ example: 'Support' }),
  timezone: z.string().meta({ example: 'Asia/Shanghai' }),
  businessHours: z
    .record(z.string(), z.tuple([z.string(), z.string()]))
    .nullable()
    .meta({ description: 'per weekday 0 (Sunday) .. 6: [start, end]; null: around the clock' }),
  holidays: z.array(z.string()).meta({ description: 'ISO dates (YYYY-MM-DD)' }),
  assignmentStrategy: z.enum(['round_robin', 'least_open']),
});

export const TeamListResponse = z.object({
  items: z.array(TeamResponse.extend({ memberIds: z.array(z.uuid()) })),
});

export const TeamMemberResponse = z.object({ teamId: z.uuid(), userId: z.uuid() });

export const SlaPolicyResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  priority: z.enum(URGENCIES).nullable(),
  channel: z.enum(CHANNELS).nullable(),
  firstResponseSeconds: z.int().nullable(),
  resolutionSeconds: z.int().nullable(),
});

export const SlaPolicyListResponse = z.object({ items: z.array(SlaPolicyResponse) });
