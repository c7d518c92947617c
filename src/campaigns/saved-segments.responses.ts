import { z } from 'zod';
import { segmentSchema } from './segment';

export const SavedSegmentResponse = z.object({
  id: z.string().uuid(),
  name: z.string(),
  definition: segmentSchema,
  createdBy: z.string().uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const SavedSegmentListResponse = z.object({ items: z.array(SavedSegmentResponse) });

const name = z.string().trim().min(1, 'name: give the segment a name').max(120);

export const SavedSegmentBody = z.object({ name, definition: segmentSchema }).strict();
export type SavedSegmentInput = z.infer<typeof SavedSegmentBody>;

export const SavedSegmentChangesBody = z
  .object({ name: name.optional(), definition: segmentSchema.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.definition !== undefined, 'give name or definition');
export type SavedSegmentChanges = z.infer<typeof SavedSegmentChangesBody>;
