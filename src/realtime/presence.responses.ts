import { z } from 'zod';

/** The shapes the agents' directory and presence routes answer with, for the OpenAPI document. */
const PRESENCE = ['online', 'away', 'offline'] as const;

export const StaffListResponse = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      name: z.string().meta({ example: '王芳' }),
      role: z.enum(['admin', 'supervisor', 'agent']),
      status: z.enum(PRESENCE),
      teamIds: z.array(z.uuid()),
    }),
  ),
});

export const PresenceListResponse = z.object({
  items: z.array(
    z.object({ agentId: z.uuid(), name: z.string(), status: z.enum(['online', 'away']) }),
  ),
});
