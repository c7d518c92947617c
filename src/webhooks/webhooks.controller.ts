import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { IdParam } from '../common/http/id-param';
import { ApiZodBody, ApiZodResponse, ZodBody, ZodQuery } from '../common/http/zod-body';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOAD_VERSION } from './webhook-events';
import {
  DeliveriesQuery,
  NewWebhookBody,
  NewWebhookResponse,
  WebhookChangesBody,
  WebhookDeliveryListResponse,
  WebhookDeliveryResponse,
  WebhookEventTypesResponse,
  WebhookListResponse,
  WebhookSubscriptionResponse,
  type NewWebhookInput,
  type WebhookChanges,
} from './webhooks.responses';
import { WebhooksService } from './webhooks.service';

const deliveryId = (raw: string) => {
  if (!/^msg_[A-Za-z0-9_-]{10,40}$/.test(raw))
    throw new DomainError('bad_request', 'deliveryId: not a delivery id (msg_...)');
  return raw;
};

const SIGNING =
  'Each delivery is a POST of `{type, timestamp, version, data}` signed per Standard Webhooks: `webhook-id` (the delivery id, the same on retries and replays: dedupe on it), `webhook-timestamp` (seconds), `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed with the secret after `whsec_`). Any 2xx within WEBHOOK_TIMEOUT_MS delivers; otherwise the delivery is retried with exponential backoff up to WEBHOOK_MAX_ATTEMPTS, and after WEBHOOK_DISABLE_AFTER_FAILURES deliveries failing in a row the subscription is disabled and its creator notified. The URL may not point at a private network unless WEBHOOK_ALLOW_PRIVATE.';

/** Outbound webhooks: who is told what, their delivery log, replays (admins). */
@ApiTags('integrations')
@ApiBearerAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to event types', description: SIGNING })
  @ApiZodBody(NewWebhookBody)
  @ApiZodResponse(201, 'The subscription, with its signing secret this once', NewWebhookResponse)
  create(@ZodBody(NewWebhookBody) body: NewWebhookInput, @CurrentUser() user: AuthUser) {
    return this.webhooks.create(body, user);
  }

  @Get()
  @ApiOperation({ summary: 'Webhook subscriptions (never their secrets)' })
  @ApiZodResponse(200, 'The subscriptions, newest first', WebhookListResponse)
  async list() {
    return { items: await this.webhooks.list() };
  }

  @Get('event-types')
  @ApiOperation({
    summary: 'The event types and the payload version',
    description: `The body of every delivery is documented by this answer's \`example\` schema (version ${WEBHOOK_PAYLOAD_VERSION}: a field may be added within a version, never removed or changed).`,
  })
  @ApiZodResponse(200, 'Event types and the body of a delivery', WebhookEventTypesResponse)
  eventTypes() {
    return {
      version: WEBHOOK_PAYLOAD_VERSION,
      types: [...WEBHOOK_EVENT_TYPES],
      example: {
        type: 'customer.erased' as const,
        timestamp: new Date(0).toISOString(),
        version: WEBHOOK_PAYLOAD_VERSION,
        data: { customerId: '00000000-0000-4000-8000-000000000000' },
      },
    };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, event types or description; enable or disable' })
  @ApiZodBody(WebhookChangesBody)
  @ApiZodResponse(200, 'The subscription as changed', WebhookSubscriptionResponse)
  update(
    @IdParam() id: string,
    @ZodBody(WebhookChangesBody) body: WebhookChanges,
    @CurrentUser() user: AuthUser,
  ) {
    return this.webhooks.update(id, body, user);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a subscription (its pending deliveries are not sent)' })
  @HttpCode(204)
  async remove(@IdParam() id: string, @CurrentUser() user: AuthUser): Promise<void> {
    await this.webhooks.remove(id, user);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log: status, attempts, the last answer' })
  @ApiZodResponse(200, 'Deliveries, newest first', WebhookDeliveryListResponse)
  deliveries(
    @IdParam() id: string,
    @ZodQuery(DeliveriesQuery) q: { limit: number; cursor?: string },
  ) {
    return this.webhooks.deliveriesOf(id, q.limit, q.cursor);
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @ApiOperation({ summary: 'Send one delivery again (same webhook-id and body)' })
  @HttpCode(202)
  @ApiZodResponse(202, 'The delivery, pending again', WebhookDeliveryResponse)
  replay(@IdParam() id: string, @Param('deliveryId') raw: string, @CurrentUser() user: AuthUser) {
    return this.webhooks.replay(id, deliveryId(raw), user);
  }
}
