import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { verifyInboundSecret } from '../../channel-adapters/email';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { EmailInboundService } from './email-inbound.service';

type RawRequest = FastifyRequest & { rawBody?: Buffer };

/** POST /webhooks/email/inbound: a raw MIME message from a mail provider's inbound route. */
@ApiTags('webhooks')
@Controller('webhooks/email')
export class EmailWebhookController {
  constructor(
    private readonly config: AppConfig,
    private readonly inbound: EmailInboundService,
  ) {}

  @Post('inbound')
  @ApiOperation({ summary: 'Inbound e-mail as raw MIME (X-Webhook-Secret)' })
  @HttpCode(202)
  @ApiConsumes('message/rfc822', 'text/plain', 'application/octet-stream')
  async receive(@Req() req: RawRequest) {
    const secret = this.config.env.EMAIL_WEBHOOK_SECRET;
    if (!secret)
      throw new DomainError(
        'unavailable',
        'the inbound email webhook is disabled: EMAIL_WEBHOOK_SECRET is not configured',
      );
    if (
      !verifyInboundSecret(
        { url: req.originalUrl, method: req.method, headers: req.headers, body: {} },
        secret,
      )
    ) {
      throw new DomainError('forbidden', 'X-Webhook-Secret: missing or wrong');
    }
    const raw = rawBodyOf(req);
    const result = await this.inbound.receive(raw);
    // A report (bounce, complaint, receipt) about an address no customer has: accepted, not stored.
    if (!result)
      return { messageId: null, customerId: null, conversationId: null, duplicate: false };
    return {
      messageId: result.message.id,
      customerId: result.customerId,
      conversationId: result.conversation?.id ?? null,
      duplicate: !result.created,
    };
  }
}

/** The exact bytes received: charsets such as GB2312 must reach the MIME parser undecoded. */
function rawBodyOf(req: RawRequest): Buffer {
  if (Buffer.isBuffer(req.rawBody) && req.rawBody.length > 0) return req.rawBody;
  throw new DomainError(
    'bad_request',
    'body: expected a raw MIME message (Content-Type message/rfc822)',
  );
}
