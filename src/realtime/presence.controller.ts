import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodResponse } from '../common/http/zod-body';
import { PresenceListResponse, StaffListResponse } from './presence.responses';
import { PresenceRepository } from './presence.repository';
import { PresenceService } from './presence.service';

/** Who is online or away now; the `presence` socket event keeps it current. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/agents')
export class PresenceController {
  constructor(
    private readonly presence: PresenceService,
    private readonly directory: PresenceRepository,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Colleagues to assign to or mention',
    description: 'Active admins, supervisors and agents with their teams and presence; no e-mail.',
  })
  @ApiZodResponse(200, 'Active staff, by name', StaffListResponse)
  async staff() {
    return { items: await this.directory.staff() };
  }

  @Get('presence')
  @ApiOperation({ summary: 'Agents online or away now' })
  @ApiZodResponse(200, 'Agents online or away, by name', PresenceListResponse)
  async list() {
    return { items: await this.presence.list() };
  }
}
