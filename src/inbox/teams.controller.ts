import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { timeZoneSchema } from '../common/time-zone';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const TeamBody = z.object({
  name: z.string().trim().min(1).max(100),
  timezone: timeZoneSchema.default('UTC'),
  /** Per weekday 0 (Sunday) .. 6: [start, end]; absent = open around the clock. */
  businessHours: z.record(z.string().regex(/^[0-6]$/), z.tuple([hhmm, hhmm])).optional(),
  holidays: z.array(z.iso.date()).max(366).default([]),
  assignmentStrategy: z.enum(['round_robin', 'least_open']).default('least_open'),
});
const MemberBody = z.object({ userId: z.string().uuid() });

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/teams')
export class TeamsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async list() {
    return {
      items: (await this.db.query(
        `SELECT t.id, t.name, t.timezone, t.business_hours AS "businessHours", t.holidays, t.assignment_strategy AS "assignmentStrategy",
                COALESCE(array_agg(m.user_id) FILTER (WHERE m.user_id IS NOT NULL), '{}') AS "memberIds"
         FROM teams t LEFT JOIN team_members m ON m.team_id = t.id GROUP BY t.id ORDER BY t.name`,
      )) as unknown[],
    };
  }

  @Post()
  @ApiZodBody(TeamBody)
  async create(@ZodBody(TeamBody) b: z.infer<typeof TeamBody>) {
    const rows = (await this.db.query(
      `INSERT INTO teams (name, timezone, business_hours, holidays, assignment_strategy) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO NOTHING RETURNING id, name, timezone, business_hours AS "businessHours", holidays, assignment_strategy AS "assignmentStrategy"`,
      [
        b.name,
        b.timezone,
        b.businessHours ? JSON.stringify(b.businessHours) : null,
        b.holidays,
        b.assignmentStrategy,
      ],
    )) as unknown[];
    if (!rows[0]) throw new DomainError('conflict', `name: a team ${b.name} exists`);
    return rows[0];
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiZodBody(MemberBody)
  async addMember(@IdParam() id: string, @ZodBody(MemberBody) b: z.infer<typeof MemberBody>) {
    const team = (await this.db.query(`SELECT 1 FROM teams WHERE id = $1`, [id])) as unknown[];
    if (!team.length) throw new DomainError('not_found', `team ${id} not found`);
    const user = (await this.db.query(`SELECT 1 FROM users WHERE id = $1`, [
      b.userId,
    ])) as unknown[];
    if (!user.length) throw new DomainError('bad_request', `userId: no user ${b.userId}`);
    await this.db.query(
      `INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [id, b.userId],
    );
    return { teamId: id, userId: b.userId };
  }
}
