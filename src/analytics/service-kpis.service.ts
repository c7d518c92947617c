import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { z } from 'zod';
import type { DataSource } from 'typeorm';

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

const GROUP: Record<KpiQuery['by'], string> = {
  channel: `COALESCE(c.last_inbound_channel, c.last_channel, 'unknown')`,
  agent: `COALESCE(c.assignee_id::text, 'unassigned')`,
  team: `COALESCE(c.team_id::text, 'none')`,
};

export const csatQuerySchema = z
  .object({ weeks: z.coerce.number().int().min(1).max(104).default(12) })
  .strict();
export type CsatQuery = z.infer<typeof csatQuerySchema>;

/** First-response time, resolution time, resolution rate, SLA attainment and CSAT over conversations opened in a window. */
@Injectable()
export class ServiceKpisService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async kpis(q: KpiQuery) {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    const rows = (await this.db.query(
      `SELECT ${GROUP[q.by]} AS key, count(*)::int AS conversations,
              count(*) FILTER (WHERE c.first_response_at IS NOT NULL)::int AS responded,
              avg(extract(epoch FROM c.first_response_at - c.created_at)) FILTER (WHERE c.first_response_at IS NOT NULL)::float8 AS avg_first_response,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_response_at - c.created_at)) FILTER (WHERE c.first_response_at IS NOT NULL)::float8 AS p50_first_response,
              count(*) FILTER (WHERE c.status = 'resolved')::int AS resolved,
              avg(extract(epoch FROM c.resolved_at - c.created_at)) FILTER (WHERE c.status = 'resolved' AND c.resolved_at IS NOT NULL)::float8 AS avg_resolution,
              count(*) FILTER (WHERE c.first_response_at IS NOT NULL
                AND extract(epoch FROM c.first_response_at - c.created_at) <= COALESCE(p.first_response_seconds, $3))::int AS within_sla,
              avg(c.csat_score)::float8 AS csat
       FROM conversations c
       LEFT JOIN LATERAL (
         SELECT first_response_seconds FROM sla_policies s
         WHERE (s.priority IS NULL OR s.priority = c.priority) AND (s.channel IS NULL OR s.channel = c.last_inbound_channel) AND s.first_response_seconds IS NOT NULL
         ORDER BY (s.priority IS NOT NULL)::int + (s.channel IS NOT NULL)::int DESC, s.created_at DESC LIMIT 1) p ON true
       WHERE c.created_at >= $1 AND c.created_at < $2
       GROUP BY 1 ORDER BY 1`,
      [from, to, DEFAULT_FIRST_RESPONSE_SLA_SECONDS],
    )) as Array<Record<string, number | string | null>>;
    const r2 = (v: unknown) =>
      v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      by: q.by,
      groups: rows.map((r) => ({
        key: r.key as string,
        conversations: Number(r.conversations),
        firstResponseSeconds: { avg: r2(r.avg_first_response), p50: r2(r.p50_first_response) },
        resolutionSeconds: { avg: r2(r.avg_resolution) },
        resolutionRate:
          Number(r.conversations) > 0 ? r2(Number(r.resolved) / Number(r.conversations)) : 0,
        slaAttainment:
          Number(r.responded) > 0 ? r2(Number(r.within_sla) / Number(r.responded)) : null,
        csat: r2(r.csat),
      })),
    };
  }

  /** CSAT per week (ISO weeks, oldest first): responses and average score 1..5. */
  async csatTrend(q: CsatQuery) {
    const rows = (await this.db.query(
      `SELECT date_trunc('week', created_at) AS week, count(*)::int AS responses, avg(score)::float8 AS avg
       FROM csat_responses WHERE created_at > date_trunc('week', now()) - make_interval(weeks => $1 - 1)
       GROUP BY 1 ORDER BY 1`,
      [q.weeks],
    )) as Array<{ week: Date; responses: number; avg: number }>;
    return {
      weeks: rows.map((r) => ({
        week: new Date(r.week).toISOString().slice(0, 10),
        responses: r.responses,
        average: Math.round(r.avg * 100) / 100,
      })),
    };
  }
}
