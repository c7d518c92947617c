import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChannelRegistry } from '../channels/channel-registry';
import { AppConfig } from '../config/app-config';
import { CircuitBreaker } from '../routing/circuit-breaker';
import { ApiZodResponse } from '../common/http/zod-body';
import { webhookUrls } from './channel-webhooks';
import { ChannelStatusResponse } from './health.responses';

/** Each channel as an admin configures it: transport, health, circuit and provider webhooks. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/v1/settings/channels')
export class ChannelStatusController {
  constructor(
    private readonly channels: ChannelRegistry,
    private readonly breaker: CircuitBreaker,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Each channel's transport (live or sandbox), health, circuit and webhook URLs",
    description:
      "health is the adapter's own view; circuit is this instance's view of the provider from its sends (up, degraded: half-open, down: open). " +
      'webhooks are the URLs to give Twilio (SMS, voice) or the e-mail provider, built from PUBLIC_URL.',
  })
  @ApiZodResponse(200, 'The channels', ChannelStatusResponse)
  list() {
    return {
      publicUrl: this.config.publicUrl,
      items: this.channels.all().map((a) => {
        const health = a.health?.() ?? { status: 'up' as const, transport: a.transport };
        return {
          channel: a.channel,
          transport: a.transport,
          health: health.status,
          circuit: this.breaker.health(a.channel),
          webhooks: webhookUrls(a.channel, this.config.publicUrl),
        };
      }),
    };
  }
}
