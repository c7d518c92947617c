import { InjectReadDataSource, type ReadDataSource } from '../database/read-data-source';
import { Injectable } from '@nestjs/common';

type Row = Record<string, unknown>;

/** What service KPIs are grouped by. */
export type KpiGrouping = 'channel' | 'agent' | 'team';

/** Per grouping: the key, the name shown for it (null: none, as for no assignee) and its join. */
const GROUP: Record<KpiGrouping, { key: string; name: string; join: string }> = {
  channel: {
    key: `COALESCE(c.last_inbound_channel, c.last_channel, 'unknown')`,
    name: `COALESCE(c.last_inbound_channel, c.last_channel, 'unknown')`,
    join: '',
  },
  agent: {
    key: `COALESCE(c.assignee_id::text, 'unassigned')`,
    name: 'g.name',
    join: 'LEFT JOIN users g ON g.id = c.assignee_id',
  },
  team: {
    key: `COALESCE(c.team_id::text, 'none')`,
    name: 'g.name',
    join: 'LEFT JOIN teams g ON g.id = c.team_id',
  },
};

/** Sums and averages over the conversations of one group (seconds; null where nothing counts). */
export interface KpiGroupRecord {
  key: string;
  /** The agent's or team's name, the channel; null for no agent or team. */
  name: string | null;
  conversations: number;
  responded: number;
  avgFirstResponse: number | null;
  p50FirstResponse: number | null;
  resolved: number;
  avgResolution: number | null;
  withinSla: number;
  csat: number | null;
}

export interface CsatWeekRecord {
  week: Date;
  responses: number;
  average: number;
}

/** Service KPIs over conversations, and CSAT responses per week. Reads only. */
@Injectable()
export class ServiceKpisRepository {
  constructor(@InjectReadDataSource() private readonly db: ReadDataSource) {}

  /**
   * Per group, over conversations opened in [from, to): first response and resolution times,
   * resolutions, SLA attainment against the most specific SLA policy (or
   * `defaultFirstResponseSeconds` where none sets a first-response target) and CSAT.
   */
  async groups(
    from: Date,
    to: Date,
    by: KpiGrouping,
    defaultFirstResponseSeconds: number,
  ): Promise<KpiGroupRecord[]> {
    const rows = (await this.db.query(
      `SELECT ${GROUP[by].key} AS key, max(${GROUP[by].name}) AS name, count(*)::int AS conversations,
              count(*) FILTER (WHERE c.first_response_at IS NOT NULL)::int AS responded,
              avg(extract(epoch FROM c.first_response_at - c.created_at)) FILTER (WHERE c.first_response_at IS NOT NULL)::float8 AS avg_first_response,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_response_at - c.created_at)) FILTER (WHERE c.first_response_at IS NOT NULL)::float8 AS p50_first_response,
              count(*) FILTER (WHERE c.status = 'resolved')::int AS resolved,
              avg(extract(epoch FROM c.resolved_at - c.created_at)) FILTER (WHERE c.status = 'resolved' AND c.resolved_at IS NOT NULL)::float8 AS avg_resolution,
              count(*) FILTER (WHERE c.first_response_at IS NOT NULL
                AND extract(epoch FROM c.first_response_at - c.created_at) <= COALESCE(p.first_response_seconds, $3))::int AS within_sla,
              avg(c.csat_score)::float8 AS csat
       FROM conversations c ${GROUP[by].join}
       LEFT JOIN LATERAL (
         SELECT first_response_seconds FROM sla_policies s
         WHERE (s.priority IS NULL OR s.priority = c.priority) AND (s.channel IS NULL OR s.channel = c.last_inbound_channel) AND s.first_response_seconds IS NOT NULL
         ORDER BY (s.priority IS NOT NULL)::int + (s.channel IS NOT NULL)::int DESC, s.created_at DESC LIMIT 1) p ON true
       WHERE c.created_at >= $1 AND c.created_at < $2
       GROUP BY 1 ORDER BY 1`,
      [from, to, defaultFirstResponseSeconds],
    )) as Row[];
    return rows.map(kpiGroup);
  }

  /** CSAT per week (weeks as date_trunc gives them, oldest first) over the last `weeks` weeks. */
  async csatWeeks(weeks: number): Promise<CsatWeekRecord[]> {
    const rows = (await this.db.query(
      `SELECT date_trunc('week', created_at) AS week, count(*)::int AS responses, avg(score)::float8 AS avg
       FROM csat_responses WHERE created_at > date_trunc('week', now()) - make_interval(weeks => $1 - 1)
       GROUP BY 1 ORDER BY 1`,
      [weeks],
    )) as Row[];
    return rows.map(csatWeek);
  }
}

const numberOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

function kpiGroup(r: Row): KpiGroupRecord {
  return {
    key: r.key as string,
    name: (r.name as string | null) ?? null,
    conversations: Number(r.conversations),
    responded: Number(r.responded),
    avgFirstResponse: numberOrNull(r.avg_first_response),
    p50FirstResponse: numberOrNull(r.p50_first_response),
    resolved: Number(r.resolved),
    avgResolution: numberOrNull(r.avg_resolution),
    withinSla: Number(r.within_sla),
    csat: numberOrNull(r.csat),
  };
}

function csatWeek(r: Row): CsatWeekRecord {
  return {
    week: new Date(r.week as Date),
    responses: r.responses as number,
    average: r.avg as number,
  };
}
