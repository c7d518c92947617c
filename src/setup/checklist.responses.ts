import { z } from 'zod';

/** What the first-run checklist route answers with, for the OpenAPI document. */
export const ChecklistResponse = z.object({
  items: z.array(
    z.object({
      key: z.enum(['team', 'cannedResponses', 'liveChannel', 'adminPassword', 'twoFactor']),
      done: z.boolean(),
      section: z
        .enum(['teams', 'canned', 'channels', 'users'])
        .meta({ description: 'the settings section that completes it' }),
    }),
  ),
  complete: z.boolean(),
});
