import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** A follow-up as the API shows it. */
export interface FollowUp {
  id: string;
  conversationId: string;
  agentId: string;
  /** When it falls due (ISO). */
  at: string;
  note: string;
  status: 'scheduled' | 'done' | 'cancelled';
}

const followUp = (r: Row): FollowUp => ({
  id: r.id as string,
  conversationId: r.conversation_id as string,
  agentId: r.agent_id as string,
  at: new Date(r.at as string).toISOString(),
  note: r.note as string,
  status: r.status as FollowUp['status'],
});

/** Every statement on follow_ups. */
@Injectable()
export class FollowUpsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(conversationId: string, agentId: string, at: Date, note: string): Promise<FollowUp> {
    const [row] = (await this.db.query(
      `INSERT INTO follow_ups (conversation_id, agent_id, at, note) VALUES ($1, $2, $3, $4) RETURNING *`,
      [conversationId, agentId, at, note],
    )) as Row[];
    return followUp(row);
  }

  /** The conversation's follow-ups, soonest first. */
  async ofConversation(conversationId: string): Promise<FollowUp[]> {
    const rows = (await this.db.query(
      `SELECT * FROM follow_ups WHERE conversation_id = $1 ORDER BY at`,
      [conversationId],
    )) as Row[];
    return rows.map(followUp);
  }

  /** Marks a scheduled follow-up done and answers it; null when it is not scheduled (any more). */
  async markDone(id: string): Promise<FollowUp | null> {
    const [rows] = (await this.db.query(
      `UPDATE follow_ups SET status = 'done' WHERE id = $1 AND status = 'scheduled' RETURNING *`,
      [id],
    )) as [Row[], number];
    return rows[0] ? followUp(rows[0]) : null;
  }
}
