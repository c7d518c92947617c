import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { TwilioStatusService } from './twilio-status.service';
import { TwilioWebhookAuth } from './twilio-webhook-auth.service';

/** Declared here, not imported: decorator metadata needs a value-free type. */
type TwilioRequest = FastifyRequest & { rawBody?: Buffer };

/** POST /webhooks/twilio/status: message and outbound-call status callbacks. */
@ApiTags('webhooks')
@Controller('webhooks/twilio')
export class StatusWebhookController {
  constructor(
    private readonly auth: TwilioWebhookAuth,
    private readonly statuses: TwilioStatusService,
  ) {}

  @Post('status')
  @ApiOperation({ summary: 'Twilio delivery status callback' })
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  async receive(@Req() req: TwilioRequest) {
    const request = this.auth.verify(req, 'twilio-status');
    const status = this.statuses.parse(request);
    if (!status) {
      throw new DomainError(
        'bad_request',
        'MessageSid/MessageStatus or CallSid/CallStatus: required (a known status)',
      );
    }
    const applied = await this.statuses.handle(status);
    return {
      messageId: applied?.messageId ?? null,
      status: applied?.status ?? null,
      queued: !applied,
    };
  }
}
