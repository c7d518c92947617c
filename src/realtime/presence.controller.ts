import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PresenceService } from './presence.service';

/** Who is online or away now; the `presence` socket event keeps it current. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/agents')
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Get('presence')
  async list() {
    return { items: await this.presence.list() };
  }
}
