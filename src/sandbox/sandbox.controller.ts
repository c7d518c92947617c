import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'crypto';
import { z } from 'zod';
import { ChannelRegistry } from '../channels/channel-registry';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ZodBody, ZodQuery } from '../common/http/zod-body';
import { CHANNELS } from '../common/names';
import { normalizeAddress } from '../customers/address';
import { InboundService } from '../ingest/inbound.service';
import { SandboxSinkService } from '../channels/sandbox-sink.service';

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
  ) {}

  @Post('inbound')
  @HttpCode(201)
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
    return { ...result.message, created: result.created, conversation: result.conversation };
  }

  @Get('outbox')
  async outbox(@ZodQuery(OutboxQuery) q: z.infer<typeof OutboxQuery>) {
    const to = q.to && q.channel ? normalizeAddress(q.channel, q.to, 'to').address : q.to;
    return { items: await this.sink.list({ channel: q.channel, to, limit: q.limit }) };
  }
}
