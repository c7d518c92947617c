import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { UsersService } from '../auth/users.service';
import { ChannelRegistry } from '../channels/channel-registry';
import { ApiZodResponse } from '../common/http/zod-body';
import { checklist } from './checklist';
import { ChecklistResponse } from './checklist.responses';
import { SetupFactsRepository } from './setup-facts.repository';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/v1/settings/checklist')
export class ChecklistController {
  constructor(
    private readonly facts: SetupFactsRepository,
    private readonly channels: ChannelRegistry,
    private readonly users: UsersService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The first-run checklist: {items: [{key, done, section}], complete}',
    description:
      'adminPassword: no active admin still has a generated or admin-set password; twoFactor: the caller has a second factor; ' +
      'team, cannedResponses: at least one exists; liveChannel: at least one provider channel (not live chat) sends through a live transport.',
  })
  @ApiZodResponse(200, 'The checklist', ChecklistResponse)
  async get(@CurrentUser() caller: AuthUser) {
    const [counts, me] = await Promise.all([this.facts.counts(), this.users.get(caller.id)]);
    return checklist({
      ...counts,
      // Live chat is served by the hub itself; the others need a provider account.
      liveChannels: this.channels
        .all()
        .filter((a) => a.channel !== 'livechat' && a.transport === 'live').length,
      callerTwoFactor: me.twoFactor,
    });
  }
}
