import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { twimlResponse } from '../../channel-adapters/sms';
import { field, headerValue } from '../../channel-adapters/twilio-common';
import type { FastifyRequest } from 'fastify';
import { SmsInboundJobs } from './sms-inbound.jobs';
import { SmsKeywordService } from './sms-keywords.service';
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
    private readonly keywords: SmsKeywordService,
  ) {}

  @Post('sms')
  @ApiOperation({ summary: 'Twilio inbound SMS (X-Twilio-Signature checked)' })
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
    // A keyword is confirmed in the TwiML answer; its consent change is the job's.
    const reply = await this.keywords.replyFor(
      field(request.body, 'From')!,
      field(request.body, 'Body') ?? '',
      field(request.body, 'OptOutType'),
    );
    return twimlResponse(reply);
  }
}
