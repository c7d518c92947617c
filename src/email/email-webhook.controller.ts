import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { verifyInboundSecret } from '../../channel-adapters/email';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { EmailInboundService } from './email-inbound.service';

type RawRequest = Request & { rawBody?: Buffer };

/** POST /webhooks/email/inbound: a raw MIME message from a mail provider's inbound route. */
@ApiTags('webhooks')
@Controller('webhooks/email')
export class EmailWebhookController {
  constructor(
    private readonly config: AppConfig,
    private readonly inbound: EmailInboundService,
  ) {}

  @Public()
  @Post('inbound')
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
    const raw = await rawBodyOf(req, this.inbound.maxBytes);
    const result = await this.inbound.receive(raw);
    return {
      messageId: result.message.id,
      customerId: result.customerId,
      conversationId: result.conversation?.id ?? null,
      duplicate: !result.created,
    };
  }
}

/** The exact bytes received: charsets such as GB2312 must reach the MIME parser undecoded. */
async function rawBodyOf(req: RawRequest, maxBytes: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  if (!req.readable)
    throw new DomainError(
      'bad_request',
      'body: expected a raw MIME message (Content-Type message/rfc822)',
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes)
      throw new DomainError('payload_too_large', `body: larger than EMAIL_MAX_BYTES (${maxBytes})`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
