import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import { detectSmsKeyword, keywordFromOptOutType, twimlResponse } from '../../channel-adapters/sms';
import { field, headerValue } from '../../channel-adapters/twilio-common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { SmsInboundJobs } from './sms-inbound.jobs';
import { requireFields, TwilioWebhookAuth } from './twilio-webhook-auth.service';

/** Declared here, not imported: decorator metadata needs a value-free type. */
type TwilioRequest = FastifyRequest & { rawBody?: Buffer };

/** POST /webhooks/twilio/sms: an inbound SMS/MMS, answered with TwiML. */
@ApiTags('webhooks')
@Controller('webhooks/twilio')
export class SmsWebhookController {
  constructor(
    private readonly auth: TwilioWebhookAuth,
    private readonly jobs: SmsInboundJobs,
    private readonly config: AppConfig,
  ) {}

  @Post('sms')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  @ApiConsumes('application/x-www-form-urlencoded')
  async receive(@Req() req: TwilioRequest): Promise<string> {
    const request = this.auth.verify(req, 'twilio-sms');
    requireFields(request.body, ['MessageSid', 'From']);
    const messageSid = field(request.body, 'MessageSid')!;
    // The row is written before Twilio hears 200: a failure after this point is retried, not lost.
    await this.jobs.accept(messageSid, {
      body: request.body,
      idempotencyToken: headerValue(request.headers, 'i-twilio-idempotency-token'),
    });
    const keyword =
      detectSmsKeyword(field(request.body, 'Body')) ??
      keywordFromOptOutType(field(request.body, 'OptOutType'));
    return twimlResponse(keyword === 'help' ? this.config.env.SMS_HELP_TEXT : undefined);
  }
}
