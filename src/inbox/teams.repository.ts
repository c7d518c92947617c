import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returnedRows } from '../database/returned-rows';

type Row = Record<string, unknown>;

export type AssignmentStrategy = 'round_robin' | 'least_open';

export interface TeamRecord {
  id: string;
  name: string;
  timezone: string;
  /** Per weekday 0 (Sunday) .. 6: [start, end]; null = open around the clock. */
  businessHours: Record<string, [string, string]> | null;
  /** ISO dates (YYYY-MM-DD), read as text: the driver would make local-midnight Dates of them. */
  holidays: string[];
  assignmentStrategy: AssignmentStrategy;
}

export interface TeamWithMembers extends TeamRecord {
  memberIds: string[];
}

export interface NewTeam {
  name: string;
  timezone: string;
  businessHours: Record<string, [string, string]> | null;
  /** ISO dates (YYYY-MM-DD). */
  holidays: string[];
  assignmentStrategy: AssignmentStrategy;
}

/** Fields to change; businessHours null = open around the clock. */
export interface TeamChanges {
  name?: string;
  timezone?: string;
  businessHours?: Record<string, [string, string]> | null;
  holidays?: string[];
  assignmentStrategy?: AssignmentStrategy;
}

export type AddMemberOutcome = 'added' | 'no_team' | 'no_user';

const COLUMNS = `id, name, timezone, business_hours AS "businessHours", holidays::text[] AS holidays, assignment_strategy AS "assignmentStrategy"`;

/** The teams and team_members tables. */
@Injectable()
export class TeamsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every team with its members' ids, by name. */
  async listWithMembers(): Promise<TeamWithMembers[]> {
    const rows = (await this.db.query(
      `SELECT t.id, t.name, t.timezone, t.business_hours AS "businessHours", t.holidays::text[] AS holidays, t.assignment_strategy AS "assignmentStrategy",
              COALESCE(array_agg(m.user_id) FILTER (WHERE m.user_id IS NOT NULL), '{}') AS "memberIds"
       FROM teams t LEFT JOIN team_members m ON m.team_id = t.id GROUP BY t.id ORDER BY t.name`,
    )) as Row[];
    return rows.map((r) => ({ ...team(r), memberIds: r.memberIds as string[] }));
  }

  /** The new team, or null when the name is taken. */
  async insert(t: NewTeam): Promise<TeamRecord | null> {
    const rows = (await this.db.query(
      `INSERT INTO teams (name, timezone, business_hours, holidays, assignment_strategy) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
      [
        t.name,
        t.timezone,
        t.businessHours ? JSON.stringify(t.businessHours) : null,
        t.holidays,
        t.assignmentStrategy,
      ],
    )) as Row[];
    return rows[0] ? team(rows[0]) : null;
  }

  /** The changed team; 'missing' when there is none, 'name_taken' when the new name is another's. */
  async update(id: string, c: TeamChanges): Promise<TeamRecord | 'missing' | 'name_taken'> {
    const rows = (await this.db.query(
      `UPDATE teams t SET
         name = COALESCE($2, t.name),
         timezone = COALESCE($3, t.timezone),
         business_hours = CASE WHEN $4::boolean THEN $5::jsonb ELSE t.business_hours END,
         holidays = COALESCE($6::date[], t.holidays),
         assignment_strategy = COALESCE($7, t.assignment_strategy)
       WHERE t.id = $1 AND NOT EXISTS (SELECT 1 FROM teams o WHERE o.name = $2 AND o.id <> $1)
       RETURNING ${COLUMNS}`,
      [
        id,
        c.name ?? null,
        c.timezone ?? null,
        c.businessHours !== undefined,
        c.businessHours ? JSON.stringify(c.businessHours) : null,
        c.holidays ?? null,
        c.assignmentStrategy ?? null,
      ],
    )) as unknown;
    const list = returnedRows(rows);
    if (list[0]) return team(list[0]);
    return (await this.exists(id)) ? 'name_taken' : 'missing';
  }

  /** Whether the user was a member of the team (and is no longer). */
  async removeMember(teamId: string, userId: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(
        `DELETE FROM team_members WHERE team_id = $1 AND user_id = $2 RETURNING 1`,
        [teamId, userId],
      ),
    );
    return rows.length > 0;
  }

  async exists(teamId: string): Promise<boolean> {
    const rows = (await this.db.query(`SELECT 1 FROM teams WHERE id = $1`, [teamId])) as Row[];
    return rows.length > 0;
  }

  /**
   * Makes the user a member of the team (a member already is one, no error); says so when the
   * team or the user does not exist, the team checked first.
   */
  async addMember(teamId: string, userId: string): Promise<AddMemberOutcome> {
    if (!(await this.exists(teamId))) return 'no_team';
    const user = (await this.db.query(`SELECT 1 FROM users WHERE id = $1`, [userId])) as Row[];
    if (!user.length) return 'no_user';
    await this.db.query(
      `INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [teamId, userId],
    );
    return 'added';
  }
}

/** TypeORM answers an UPDATE/DELETE ... RETURNING as [rows, affected] on PostgreSQL. */

function team(r: Row): TeamRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    timezone: r.timezone as string,
    businessHours: (r.businessHours as Record<string, [string, string]> | null) ?? null,
    holidays: r.holidays as string[],
    assignmentStrategy: r.assignmentStrategy as AssignmentStrategy,
  };
}
