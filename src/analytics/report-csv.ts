import type { CsatResponseRecord } from './csat-responses.repository';
import { toCsv } from './csv';

/** A row of the service report, as the KPI service answers it. */
export interface ServiceGroupRow {
  key: string;
  name: string | null;
  conversations: number;
  firstResponseSeconds: { avg: number | null; p50: number | null };
  resolutionSeconds: { avg: number | null };
  resolutionRate: number | null;
  slaAttainment: number | null;
  csat: number | null;
}

/** The service report as CSV: one row per channel, agent or team, by name. */
export function serviceCsv(by: string, groups: ServiceGroupRow[]): string {
  return toCsv(
    [
      by,
      'id',
      'conversations',
      'first_response_avg_seconds',
      'first_response_p50_seconds',
      'resolution_avg_seconds',
      'resolution_rate',
      'sla_attainment',
      'csat',
    ],
    groups.map((g) => [
      g.name ?? g.key,
      g.key,
      g.conversations,
      g.firstResponseSeconds.avg,
      g.firstResponseSeconds.p50,
      g.resolutionSeconds.avg,
      g.resolutionRate,
      g.slaAttainment,
      g.csat,
    ]),
  );
}

/** The CSAT answers as CSV, newest first, with their comments. */
export function csatCsv(items: CsatResponseRecord[]): string {
  return toCsv(
    ['created_at', 'score', 'comment', 'customer', 'agent', 'team', 'channel', 'conversation_id'],
    items.map((r) => [
      r.createdAt.toISOString(),
      r.score,
      r.comment,
      r.customerName,
      r.agentName,
      r.teamName,
      r.channel,
      r.conversationId,
    ]),
  );
}
