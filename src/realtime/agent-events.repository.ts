import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** What decides which rooms may see a conversation's events. */
export interface ConversationRef {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
}

/** The two reads the live agent feed makes: a conversation's owners, a customer's name. */
@Injectable()
export class AgentEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async conversationRef(id: string): Promise<ConversationRef | null> {
    const rows = (await this.db.query(
      `SELECT id, team_id, assignee_id FROM conversations WHERE id = $1`,
      [id],
    )) as Row[];
    return rows[0] ? conversationRef(rows[0]) : null;
  }

  /** The customer's display name; '' for no such customer. */
  async customerDisplayName(customerId: string): Promise<string> {
    const rows = (await this.db.query(`SELECT display_name FROM customers WHERE id = $1`, [
      customerId,
    ])) as Row[];
    return (rows[0]?.display_name as string | undefined) ?? '';
  }
}

function conversationRef(r: Row): ConversationRef {
  return {
    id: r.id as string,
    teamId: (r.team_id as string | null) ?? null,
    assigneeId: (r.assignee_id as string | null) ?? null,
  };
}
