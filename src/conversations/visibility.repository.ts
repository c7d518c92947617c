import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Where a conversation sits for visibility: its team and assignee. */
export interface ConversationPlacement {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
}

/**
 * What deciding who sees a conversation reads: a user's teams and a conversation's placement.
 * Provided wherever VisibilityService is (the inbox and conversations modules).
 */
@Injectable()
export class VisibilityRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async teamIdsOf(userId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT team_id FROM team_members WHERE user_id = $1`, [
      userId,
    ])) as Array<{ team_id: string }>;
    return rows.map((r) => r.team_id);
  }

  async placementOf(conversationId: string): Promise<ConversationPlacement | null> {
    const rows = (await this.db.query(
      `SELECT id, team_id, assignee_id FROM conversations WHERE id = $1`,
      [conversationId],
    )) as Array<{ id: string; team_id: string | null; assignee_id: string | null }>;
    const c = rows[0];
    return c ? { id: c.id, teamId: c.team_id, assigneeId: c.assignee_id } : null;
  }
}
