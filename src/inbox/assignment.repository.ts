import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '../common/names';
import type { Tx } from '../database/transactions';
import { inboxConversation, type InboxConversation } from './conversations.repository';

type Row = Record<string, unknown>;

/** A conversation an assignment batch asks about, as it stands under the lock. */
export interface AssignableConversation {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
  /** Open or pending: it counts against its assignee's capacity. */
  counts: boolean;
}

/** How a team hands out its conversations. */
export interface TeamAssignment {
  id: string;
  assignmentStrategy: string;
  lastAssignedUserId: string | null;
}

/** An online agent who may take conversations, with the load they carry. */
export interface Candidate {
  id: string;
  capacity: number;
  /** Open and pending conversations assigned to them. */
  open: number;
  teams: string[];
}

const assignable = (r: Row): AssignableConversation => ({
  id: r.id as string,
  teamId: (r.team_id as string | null) ?? null,
  assigneeId: (r.assignee_id as string | null) ?? null,
  counts: r.counts as boolean,
});

const teamAssignment = (r: Row): TeamAssignment => ({
  id: r.id as string,
  assignmentStrategy: r.assignment_strategy as string,
  lastAssignedUserId: (r.last_assigned_user_id as string | null) ?? null,
});

const candidate = (r: Row): Candidate => ({
  id: r.id as string,
  capacity: r.capacity as number,
  open: r.open as number,
  teams: (r.teams as string[]) ?? [],
});

/**
 * The statements of assignment: the batch an automatic assignment runs under its lock (each
 * method taking the transaction), the reply timeout's check, the queue's oldest, and the checks
 * of an assignment by hand.
 */
@Injectable()
export class AssignmentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The one lock automatic assignment holds until the transaction ends. */
  async lock(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('inbox.assignment', 0))`);
  }

  /** The conversations of `ids` that are not resolved. */
  async unresolved(ids: string[], tx?: Tx): Promise<AssignableConversation[]> {
    const rows = (await (tx ?? this.db).query(
      `SELECT id, team_id, assignee_id, status IN ('open', 'pending') AS counts
       FROM conversations WHERE id = ANY($1::uuid[]) AND status <> 'resolved'`,
      [ids],
    )) as Row[];
    return rows.map(assignable);
  }

  /** The teams of `ids` with their strategy; none asked, no statement. */
  async teams(ids: string[], tx?: Tx): Promise<TeamAssignment[]> {
    if (ids.length === 0) return [];
    const rows = (await (tx ?? this.db).query(
      `SELECT id, assignment_strategy, last_assigned_user_id FROM teams WHERE id = ANY($1::uuid[])`,
      [ids],
    )) as Row[];
    return rows.map(teamAssignment);
  }

  /** Active agents online now, by id, with their open load and teams. */
  async onlineAgents(tx?: Tx): Promise<Candidate[]> {
    const rows = (await (tx ?? this.db).query(
      `SELECT u.id, u.capacity,
              (SELECT count(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status IN ('open','pending'))::int AS open,
              ARRAY(SELECT tm.team_id FROM team_members tm WHERE tm.user_id = u.id) AS teams
       FROM users u JOIN agent_presence p ON p.user_id = u.id AND p.status = 'online'
       WHERE u.active AND u.role = 'agent'
       ORDER BY u.id`,
    )) as Row[];
    return rows.map(candidate);
  }

  /** Assigns each conversation to its agent (leaving the queue), in one statement. */
  async assignAll(
    assigned: Array<{ id: string; agent: string }>,
    tx?: Tx,
  ): Promise<InboxConversation[]> {
    const [updated] = (await (tx ?? this.db).query(
      `UPDATE conversations c SET assignee_id = v.agent, queued_at = NULL, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[]) AS v(id, agent) WHERE c.id = v.id RETURNING c.*`,
      [assigned.map((a) => a.id), assigned.map((a) => a.agent)],
    )) as [Row[], number];
    return updated.map(inboxConversation);
  }

  /** Puts the conversations in the queue (those waiting already keep their place). */
  async enqueue(ids: string[], tx?: Tx): Promise<void> {
    await (tx ?? this.db).query(
      `UPDATE conversations SET queued_at = COALESCE(queued_at, now()) WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Remembers each team's last pick (for round robin), in one statement. */
  async rememberLastAssigned(teams: TeamAssignment[], tx?: Tx): Promise<void> {
    await (tx ?? this.db).query(
      `UPDATE teams t SET last_assigned_user_id = v.agent FROM unnest($1::uuid[], $2::uuid[]) AS v(id, agent) WHERE t.id = v.id`,
      [teams.map((t) => t.id), teams.map((t) => t.lastAssignedUserId)],
    );
  }

  /** Waiting conversations, oldest first (at most 100). */
  async queued(): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id FROM conversations WHERE queued_at IS NOT NULL AND assignee_id IS NULL AND status <> 'resolved' ORDER BY queued_at LIMIT 100`,
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /** Has the agent written in the conversation since `since` (an ISO instant)? */
  async repliedSince(conversationId: string, agentId: string, since: string): Promise<boolean> {
    const replied = (await this.db.query(
      `SELECT 1 FROM messages WHERE conversation_id = $1 AND author_id = $2 AND created_at >= $3::timestamptz LIMIT 1`,
      [conversationId, agentId, since],
    )) as unknown[];
    return replied.length > 0;
  }

  /** The user's role and whether they are active, or null when there is no such user. */
  async userStanding(userId: string): Promise<{ role: Role; active: boolean } | null> {
    const [u] = (await this.db.query(`SELECT role, active FROM users WHERE id = $1`, [
      userId,
    ])) as Array<{ role: Role; active: boolean }>;
    return u ? { role: u.role, active: u.active } : null;
  }

  async teamExists(teamId: string): Promise<boolean> {
    const t = (await this.db.query(`SELECT 1 FROM teams WHERE id = $1`, [teamId])) as unknown[];
    return t.length > 0;
  }
}
