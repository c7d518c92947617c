import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ServiceKpisRepository } from './service-kpis.repository';

/** First responses slower than this miss the SLA when no policy matches (waits past five minutes cost satisfaction). */
export const DEFAULT_FIRST_RESPONSE_SLA_SECONDS = 300;

export const kpiQuerySchema = z
  .object({
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    by: z.enum(['channel', 'agent', 'team']).default('channel'),
  })
  .strict();
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

export const csatQuerySchema = z
  .object({ weeks: z.coerce.number().int().min(1).max(104).default(12) })
  .strict();
export type CsatQuery = z.infer<typeof csatQuerySchema>;

/** First-response time, resolution time, resolution rate, SLA attainment and CSAT over conversations opened in a window. */
@Injectable()
export class ServiceKpisService {
  constructor(private readonly repo: ServiceKpisRepository) {}

  async kpis(q: KpiQuery) {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    const rows = await this.repo.groups(from, to, q.by, DEFAULT_FIRST_RESPONSE_SLA_SECONDS);
    const r2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      by: q.by,
      groups: rows.map((r) => ({
        key: r.key,
        conversations: r.conversations,
        firstResponseSeconds: { avg: r2(r.avgFirstResponse), p50: r2(r.p50FirstResponse) },
        resolutionSeconds: { avg: r2(r.avgResolution) },
        resolutionRate: r.conversations > 0 ? r2(r.resolved / r.conversations) : 0,
        slaAttainment: r.responded > 0 ? r2(r.withinSla / r.responded) : null,
        csat: r2(r.csat),
      })),
    };
  }

  /** CSAT per week (ISO weeks, oldest first): responses and average score 1..5. */
  async csatTrend(q: CsatQuery) {
    const rows = await this.repo.csatWeeks(q.weeks);
    return {
      weeks: rows.map((r) => ({
        week: r.week.toISOString().slice(0, 10),
        responses: r.responses,
        average: Math.round(r.average * 100) / 100,
      })),
    };
  }
}
