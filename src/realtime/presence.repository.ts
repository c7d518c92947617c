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

/** A colleague an agent can assign to or mention: active staff, with their teams and presence. */
export interface StaffMember {
  id: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent';
  status: PresenceStatus;
  teamIds: string[];
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

  /** Every active admin, supervisor and agent, by name (no e-mail: agents see this list). */
  async staff(): Promise<StaffMember[]> {
    const rows = (await this.db.query(
      `SELECT u.id, u.name, u.role, p.status,
              ARRAY(SELECT tm.team_id FROM team_members tm WHERE tm.user_id = u.id ORDER BY tm.team_id) AS team_ids
       FROM users u LEFT JOIN agent_presence p ON p.user_id = u.id
       WHERE u.active AND u.role IN ('admin', 'supervisor', 'agent')
       ORDER BY u.name, u.id`,
    )) as Row[];
    return rows.map(staffMember);
  }
}

function staffMember(r: Row): StaffMember {
  return {
    id: r.id as string,
    name: r.name as string,
    role: r.role as StaffMember['role'],
    status: (r.status as PresenceStatus | null) ?? 'offline',
    teamIds: (r.team_ids as string[] | null) ?? [],
  };
}

function agentPresence(r: Row): AgentPresence {
  return {
    agentId: r.agentId as string,
    name: r.name as string,
    status: r.status as PresenceStatus,
  };
}
