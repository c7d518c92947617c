import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

export type PresenceStatus = 'online' | 'away' | 'offline';

/** An agent online or away. */
export interface AgentPresence {
  agentId: string;
  name: string;
  status: PresenceStatus;
}

/** The agent_presence table: one row per agent, shared by every instance. */
@Injectable()
export class PresenceRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async upsert(userId: string, status: PresenceStatus): Promise<void> {
    await this.db.query(
      `INSERT INTO agent_presence (user_id, status, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
      [userId, status],
    );
  }

  /** Active agents online or away, by name. */
  async available(): Promise<AgentPresence[]> {
    const rows = (await this.db.query(
      `SELECT p.user_id AS "agentId", u.name, p.status FROM agent_presence p JOIN users u ON u.id = p.user_id
       WHERE p.status <> 'offline' AND u.active ORDER BY u.name`,
    )) as Row[];
    return rows.map(agentPresence);
  }
}

function agentPresence(r: Row): AgentPresence {
  return {
    agentId: r.agentId as string,
    name: r.name as string,
    status: r.status as PresenceStatus,
  };
}
