import { InjectReadDataSource, type ReadDataSource } from '../database/read-data-source';
import { Injectable } from '@nestjs/common';

type Row = Record<string, unknown>;

/** One rating a customer gave, with the names of who and what it rates. */
export interface CsatResponseRecord {
  id: string;
  score: number;
  comment: string | null;
  createdAt: Date;
  conversationId: string;
  channel: string | null;
  customerName: string | null;
  agentName: string | null;
  teamName: string | null;
}

const record = (r: Row): CsatResponseRecord => ({
  id: r.id as string,
  score: Number(r.score),
  comment: (r.comment as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
  conversationId: r.conversation_id as string,
  channel: (r.channel as string | null) ?? null,
  customerName: (r.customer_name as string | null) ?? null,
  agentName: (r.agent_name as string | null) ?? null,
  teamName: (r.team_name as string | null) ?? null,
});

/** CSAT responses in a window, newest first, with customer, agent and team names. Reads only. */
@Injectable()
export class CsatResponsesRepository {
  constructor(@InjectReadDataSource() private readonly db: ReadDataSource) {}

  async page(
    from: Date,
    to: Date,
    limit: number,
    offset: number,
  ): Promise<{ total: number; items: CsatResponseRecord[] }> {
    const rows = (await this.db.query(
      `SELECT r.id, r.score, r.comment, r.created_at, r.conversation_id,
              COALESCE(c.last_inbound_channel, c.last_channel) AS channel,
              cu.display_name AS customer_name, u.name AS agent_name, t.name AS team_name,
              count(*) OVER ()::int AS total
       FROM csat_responses r
       JOIN conversations c ON c.id = r.conversation_id
       LEFT JOIN customers cu ON cu.id = r.customer_id
       LEFT JOIN users u ON u.id = c.assignee_id
       LEFT JOIN teams t ON t.id = c.team_id
       WHERE r.created_at >= $1 AND r.created_at < $2
       ORDER BY r.created_at DESC, r.id DESC
       LIMIT $3 OFFSET $4`,
      [from, to, limit, offset],
    )) as Row[];
    const total = rows[0] ? Number(rows[0].total) : await this.count(from, to);
    return { total, items: rows.map(record) };
  }

  /** How many in the window (a page past the end has no row to carry the total). */
  private async count(from: Date, to: Date): Promise<number> {
    const [r] = (await this.db.query(
      `SELECT count(*)::int AS n FROM csat_responses WHERE created_at >= $1 AND created_at < $2`,
      [from, to],
    )) as Array<{ n: number }>;
    return Number(r.n);
  }
}
