import { z } from 'zod';
import { badRequest } from '../common/errors/domain-error';

/** The window of a report: [from, to), the last 30 days when neither is given. */
export const windowFields = {
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
};

const DAY_MS = 86_400_000;
/** Longer windows make the per-group percentiles slow and the exports large. */
const MAX_DAYS = 366;

export function reportWindow(q: { from?: string; to?: string }): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from.getTime() >= to.getTime()) throw badRequest('from: must be before to');
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS)
    throw badRequest(`from: the window may span at most ${MAX_DAYS} days`);
  return { from, to };
}
