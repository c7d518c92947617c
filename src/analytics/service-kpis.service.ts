import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { CsatResponsesRepository } from './csat-responses.repository';
import { reportWindow, windowFields } from './report-window';
import { ServiceKpisRepository } from './service-kpis.repository';

/** First responses slower than this miss the SLA when no policy matches (waits past five minutes cost satisfaction). */
export const DEFAULT_FIRST_RESPONSE_SLA_SECONDS = 300;

export const kpiQuerySchema = z
  .object({ ...windowFields, by: z.enum(['channel', 'agent', 'team']).default('channel') })
  .strict();
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

export const csatResponsesQuerySchema = z
  .object({
    ...windowFields,
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type CsatResponsesQuery = z.infer<typeof csatResponsesQuerySchema>;

/** The most rows a CSV export holds. */
export const EXPORT_ROWS = 10_000;

export const csatQuerySchema = z
  .object({ weeks: z.coerce.number().int().min(1).max(104).default(12) })
  .strict();
export type CsatQuery = z.infer<typeof csatQuerySchema>;

/** First-response time, resolution time, resolution rate, SLA attainment and CSAT over conversations opened in a window. */
@Injectable()
export class ServiceKpisService {
  constructor(
    private readonly repo: ServiceKpisRepository,
    private readonly responses: CsatResponsesRepository,
  ) {}

  async kpis(q: KpiQuery) {
    const { from, to } = reportWindow(q);
    const rows = await this.repo.groups(from, to, q.by, DEFAULT_FIRST_RESPONSE_SLA_SECONDS);
    const r2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      by: q.by,
      groups: rows.map((r) => ({
        key: r.key,
        name: r.name,
        conversations: r.conversations,
        firstResponseSeconds: { avg: r2(r.avgFirstResponse), p50: r2(r.p50FirstResponse) },
        resolutionSeconds: { avg: r2(r.avgResolution) },
        resolutionRate: r.conversations > 0 ? r2(r.resolved / r.conversations) : 0,
        slaAttainment: r.responded > 0 ? r2(r.withinSla / r.responded) : null,
        csat: r2(r.csat),
      })),
    };
  }

  /** The ratings customers gave in the window, newest first, a page at a time, with comments. */
  async csatResponses(q: CsatResponsesQuery) {
    const { from, to } = reportWindow(q);
    const { total, items } = await this.responses.page(
      from,
      to,
      q.pageSize,
      (q.page - 1) * q.pageSize,
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      page: q.page,
      pageSize: q.pageSize,
      total,
      items: items.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    };
  }

  /** Every rating of the window (up to EXPORT_ROWS), for a CSV export. */
  async allCsatResponses(q: { from?: string; to?: string }) {
    const { from, to } = reportWindow(q);
    const { items } = await this.responses.page(from, to, EXPORT_ROWS, 0);
    return { from: from.toISOString(), to: to.toISOString(), items };
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
