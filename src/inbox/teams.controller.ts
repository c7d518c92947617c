import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { TeamListResponse, TeamMemberResponse, TeamResponse } from './teams.responses';
import { timeZoneSchema } from '../common/time-zone';
import { DomainEvents } from '../events/domain-events';
import { TeamsRepository } from './teams.repository';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const window = z
  .tuple([hhmm, hhmm])
  .refine(([start, end]) => start < end, 'the opening time must come before the closing time');
/** Per weekday 0 (Sunday) .. 6: [start, end]. */
const weekHours = z.record(z.string().regex(/^[0-6]$/, 'weekday 0 (Sunday) to 6'), window);
const TeamBody = z.object({
  name: z.string().trim().min(1).max(100),
  timezone: timeZoneSchema.default('UTC'),
  /** Absent = open around the clock. */
  businessHours: weekHours.optional(),
  holidays: z.array(z.iso.date()).max(366).default([]),
  assignmentStrategy: z.enum(['round_robin', 'least_open']).default('least_open'),
});
const TeamChangesBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    timezone: timeZoneSchema.optional(),
    /** null = open around the clock. */
    businessHours: weekHours.nullable().optional(),
    holidays: z.array(z.iso.date()).max(366).optional(),
    assignmentStrategy: z.enum(['round_robin', 'least_open']).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
const MemberBody = z.object({ userId: z.string().uuid() });

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/teams')
export class TeamsController {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly events: DomainEvents,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every team with its members, time zone, business hours and holidays' })
  @ApiZodResponse(200, 'The teams, by name', TeamListResponse)
  async list() {
    return { items: await this.teams.listWithMembers() };
  }

  @Post()
  @ApiOperation({ summary: 'Create a team (time zone, business hours per weekday, holidays)' })
  @ApiZodResponse(201, 'The new team', TeamResponse)
  @ApiZodBody(TeamBody)
  async create(@ZodBody(TeamBody) b: z.infer<typeof TeamBody>) {
    const team = await this.teams.insert({
      name: b.name,
      timezone: b.timezone,
      businessHours: b.businessHours ?? null,
      holidays: b.holidays,
      assignmentStrategy: b.assignmentStrategy,
    });
    if (!team) throw new DomainError('conflict', `name: a team ${b.name} exists`);
    return team;
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a team's name, time zone, business hours (null: around the clock) or holidays",
    description: 'SLA targets of conversations opened afterwards follow the new calendar.',
  })
  @ApiZodResponse(200, 'The team as changed', TeamResponse)
  @ApiZodBody(TeamChangesBody)
  async update(
    @IdParam() id: string,
    @ZodBody(TeamChangesBody) b: z.infer<typeof TeamChangesBody>,
  ) {
    const outcome = await this.teams.update(id, b);
    if (outcome === 'missing') throw new DomainError('not_found', `team ${id} not found`);
    if (outcome === 'name_taken')
      throw new DomainError('conflict', `name: a team ${b.name} exists`);
    return outcome;
  }

  @Post(':id/members')
  @ApiOperation({ summary: 'Add a user to a team (already a member: no error)' })
  @HttpCode(200)
  @ApiZodResponse(200, 'The membership', TeamMemberResponse)
  @ApiZodBody(MemberBody)
  async addMember(@IdParam() id: string, @ZodBody(MemberBody) b: z.infer<typeof MemberBody>) {
    const outcome = await this.teams.addMember(id, b.userId);
    if (outcome === 'no_team') throw new DomainError('not_found', `team ${id} not found`);
    if (outcome === 'no_user') throw new DomainError('bad_request', `userId: no user ${b.userId}`);
    this.events.emit('team.members.changed', { teamId: id, userId: b.userId, change: 'added' });
    return { teamId: id, userId: b.userId };
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a user from a team (404 when not a member)' })
  @ApiResponse({ status: 204, description: 'Removed' })
  async removeMember(@IdParam() id: string, @IdParam('userId') userId: string): Promise<void> {
    if (!(await this.teams.removeMember(id, userId)))
      throw new DomainError('not_found', `user ${userId} is not a member of team ${id}`);
  }
}
