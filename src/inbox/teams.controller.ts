import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { timeZoneSchema } from '../common/time-zone';
import { TeamsRepository } from './teams.repository';

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
  constructor(private readonly teams: TeamsRepository) {}

  @Get()
  async list() {
    return { items: await this.teams.listWithMembers() };
  }

  @Post()
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

  @Post(':id/members')
  @HttpCode(200)
  @ApiZodBody(MemberBody)
  async addMember(@IdParam() id: string, @ZodBody(MemberBody) b: z.infer<typeof MemberBody>) {
    const outcome = await this.teams.addMember(id, b.userId);
    if (outcome === 'no_team') throw new DomainError('not_found', `team ${id} not found`);
    if (outcome === 'no_user') throw new DomainError('bad_request', `userId: no user ${b.userId}`);
    return { teamId: id, userId: b.userId };
  }
}
