import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SLA_POLICY_FOR } from '../conversations/sla-policy.sql';
import type { BusinessCalendar } from './business-hours';

type Row = Record<string, unknown>;

/** A conversation as the team view lists it. */
export interface TeamViewConversation {
  id: string;
  status: string;
  priority: string;
  customerName: string | null;
  channel: string | null;
  preview: string | null;
  teamId: string | null;
  assigneeId: string | null;
  createdAt: Date;
  lastMessageAt: Date | null;
}

/** An agent with their presence, open load against capacity, teams and open conversations. */
export interface TeamViewAgent {
  id: string;
  name: string;
  role: string;
  status: 'online' | 'away' | 'offline';
  capacity: number;
  open: number;
  teams: Array<{ id: string; name: string }>;
}

/** A conversation waiting for an agent. */
export type WaitingConversation = TeamViewConversation & { queuedAt: Date | null };

/** An open conversation with a running SLA cycle, its policy's targets and its calendar. */
export type SlaCycleConversation = TeamViewConversation & {
  cycleAt: Date;
  answered: boolean;
  policyName: string;
  firstResponseSeconds: number | null;
  resolutionSeconds: number | null;
  calendar: BusinessCalendar;
};

const CONVERSATION_COLUMNS = `c.id, c.status, c.priority, c.team_id, c.assignee_id, c.created_at, c.last_message_at,
  c.last_message_preview, COALESCE(c.last_inbound_channel, c.last_channel) AS channel, cu.display_name AS customer_name`;

const conversation = (r: Row): TeamViewConversation => ({
  id: r.id as string,
  status: r.status as string,
  priority: r.priority as string,
  customerName: (r.customer_name as string | null) ?? null,
  channel: (r.channel as string | null) ?? null,
  preview: (r.last_message_preview as string | null) ?? null,
  teamId: (r.team_id as string | null) ?? null,
  assigneeId: (r.assignee_id as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
  lastMessageAt: r.last_message_at ? new Date(r.last_message_at as string) : null,
});

/** The statements of the supervisors' live team view. Reads only. */
@Injectable()
export class TeamViewRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Active agents and supervisors (and anyone holding open conversations), by name. */
  async agents(): Promise<TeamViewAgent[]> {
    const rows = (await this.db.query(
      `SELECT u.id, u.name, u.role, u.capacity, COALESCE(p.status, 'offline') AS status,
              (SELECT count(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status IN ('open','pending'))::int AS open,
              COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name)
                        FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE tm.user_id = u.id), '[]') AS teams
       FROM users u LEFT JOIN agent_presence p ON p.user_id = u.id
       WHERE u.active AND (u.role IN ('agent', 'supervisor')
             OR EXISTS (SELECT 1 FROM conversations c WHERE c.assignee_id = u.id AND c.status IN ('open','pending')))
       ORDER BY u.name, u.id`,
    )) as Row[];
    return rows.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      role: r.role as string,
      status: r.status as TeamViewAgent['status'],
      capacity: Number(r.capacity),
      open: Number(r.open),
      teams: r.teams as TeamViewAgent['teams'],
    }));
  }

  /** Open and pending conversations assigned to someone, most recent first (at most `limit`). */
  async assigned(limit: number): Promise<TeamViewConversation[]> {
    const rows = (await this.db.query(
      `SELECT ${CONVERSATION_COLUMNS}
       FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id
       WHERE c.assignee_id IS NOT NULL AND c.status IN ('open','pending')
       ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC LIMIT $1`,
      [limit],
    )) as Row[];
    return rows.map(conversation);
  }

  /** Open conversations nobody holds: those queued for capacity first (oldest first), then the rest. */
  async waiting(limit: number): Promise<WaitingConversation[]> {
    const rows = (await this.db.query(
      `SELECT ${CONVERSATION_COLUMNS}, c.queued_at
       FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id
       WHERE c.assignee_id IS NULL AND c.status IN ('open','pending')
       ORDER BY c.queued_at ASC NULLS LAST, c.created_at ASC, c.id LIMIT $1`,
      [limit],
    )) as Row[];
    return rows.map((r) => ({
      ...conversation(r),
      queuedAt: r.queued_at ? new Date(r.queued_at as string) : null,
    }));
  }

  /**
   * Open conversations whose SLA cycle runs under a policy with a target, oldest cycle first
   * (at most `limit`), with whether an agent has replied in the cycle and the team's calendar.
   */
  async slaCycles(limit: number): Promise<SlaCycleConversation[]> {
    const rows = (await this.db.query(
      `SELECT ${CONVERSATION_COLUMNS}, c.sla_cycle_at, p.policy,
              EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'outbound'
                      AND m.kind = 'message' AND m.author_id IS NOT NULL AND m.created_at >= c.sla_cycle_at) AS answered,
              t.timezone, t.business_hours, t.holidays::text[] AS holidays
       FROM conversations c
       LEFT JOIN customers cu ON cu.id = c.customer_id
       LEFT JOIN teams t ON t.id = c.team_id
       CROSS JOIN LATERAL (SELECT ${SLA_POLICY_FOR('c.priority', 'COALESCE(c.last_inbound_channel, c.last_channel)')} AS policy) p
       WHERE c.status = 'open' AND c.sla_cycle_at IS NOT NULL AND p.policy IS NOT NULL
       ORDER BY c.sla_cycle_at LIMIT $1`,
      [limit],
    )) as Row[];
    return rows.map((r) => {
      const policy = r.policy as Record<string, unknown>;
      return {
        ...conversation(r),
        cycleAt: new Date(r.sla_cycle_at as string),
        answered: r.answered as boolean,
        policyName: policy.name as string,
        firstResponseSeconds: (policy.first_response_seconds as number | null) ?? null,
        resolutionSeconds: (policy.resolution_seconds as number | null) ?? null,
        calendar: {
          timezone: (r.timezone as string | null) ?? 'UTC',
          hours: (r.business_hours as BusinessCalendar['hours']) ?? null,
          holidays: (r.holidays as string[] | null) ?? [],
        },
      };
    });
  }
}
