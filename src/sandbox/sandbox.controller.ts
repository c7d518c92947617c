import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'crypto';
import { z } from 'zod';
import { ChannelRegistry } from '../channels/channel-registry';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ApiZodResponse, ZodBody, ZodQuery } from '../common/http/zod-body';
import { CHANNELS } from '../common/names';
import { normalizeAddress } from '../customers/address';
import { InboundService } from '../ingest/inbound.service';
import { SandboxSinkService } from '../channels/sandbox-sink.service';
import { SandboxSmsKeywords } from './sandbox-sms-keywords.service';
import { SandboxInboundResponse, SandboxOutboxResponse } from './sandbox.responses';

const InboundBody = z.object({
  channel: z.enum(CHANNELS),
  from: z.string().min(1).max(320),
  text: z.string().max(20_000),
  subject: z.string().max(998).optional(),
  name: z.string().max(200).optional(),
  /** Optional provider message id, to act out a provider's retried delivery. */
  id: z.string().min(1).max(200).optional(),
});
const OutboxQuery = z.object({
  channel: z.enum(CHANNELS).optional(),
  to: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Act as a customer on any sandboxed channel, and see what the hub sent through sandboxes. */
@ApiTags('sandbox')
@ApiBearerAuth()
@Controller('api/v1/sandbox')
export class SandboxController {
  constructor(
    private readonly inbound: InboundService,
    private readonly channels: ChannelRegistry,
    private readonly sink: SandboxSinkService,
    private readonly sms: SandboxSmsKeywords,
  ) {}

  @Post('inbound')
  @ApiOperation({ summary: 'Simulate an inbound message from a customer (sandbox)' })
  @HttpCode(201)
  @ApiOperation({
    summary: 'Act as a customer writing on a sandboxed channel',
    description:
      "An SMS (or WhatsApp message) whose body is a keyword (STOP, 退订, TD, START, 订阅, HELP, 帮助...) changes that channel's consent as the Twilio webhook does; its confirmation appears in GET /api/v1/sandbox/outbox.",
  })
  @ApiZodResponse(201, 'The message as written', SandboxInboundResponse)
  @ApiZodBody(InboundBody)
  async receive(@ZodBody(InboundBody) body: z.infer<typeof InboundBody>) {
    if (!this.channels.isSandbox(body.channel)) {
      throw new DomainError(
        'conflict',
        `channel: ${body.channel} runs on its live transport; the sandbox simulator is off for it`,
      );
    }
    const result = await this.inbound.receive({
      channel: body.channel,
      from: body.from,
      text: body.text,
      subject: body.subject,
      senderName: body.name,
      providerMessageId: body.id ?? `sandbox-${randomUUID()}`,
      metadata: { sandbox: true },
    });
    // STOP, 退订, START... as the Twilio webhook handles them.
    if (body.channel === 'sms' || body.channel === 'whatsapp')
      await this.sms.afterInbound(result, body.from, body.text, body.channel);
    return { ...result.message, created: result.created, conversation: result.conversation };
  }

  @Get('outbox')
  @ApiOperation({ summary: 'What the sandbox transports sent' })
  @ApiZodResponse(200, 'The sends, newest first', SandboxOutboxResponse)
  async outbox(@ZodQuery(OutboxQuery) q: z.infer<typeof OutboxQuery>) {
    const to = q.to && q.channel ? normalizeAddress(q.channel, q.to, 'to').address : q.to;
    return { items: await this.sink.list({ channel: q.channel, to, limit: q.limit }) };
  }
}
