import { Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError, notFound } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookPublisher } from './webhook-publisher';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { webhookUrlProblem } from './webhook-url';
import type { NewWebhookInput, WebhookChanges } from './webhooks.responses';

const cursorOf = (d: { createdAt: Date; id: string }) =>
  Buffer.from(JSON.stringify({ at: d.createdAt.toISOString(), id: d.id })).toString('base64url');

function readCursor(raw: string | undefined): { at: string; id: string } | null {
  if (!raw) return null;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as {
      at?: unknown;
      id?: unknown;
    };
    if (typeof c.at === 'string' && typeof c.id === 'string' && !isNaN(Date.parse(c.at)))
      return { at: c.at, id: c.id };
  } catch {
    /* refused below */
  }
  throw new DomainError('bad_request', 'cursor: not a cursor this list gave');
}

/** Webhook subscriptions, their delivery log and replays. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly publisher: WebhookPublisher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async create(body: NewWebhookInput, user: AuthUser) {
    await this.checkUrl(body.url);
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const created = await this.subscriptions.insert({
      url: body.url,
      events: [...new Set(body.events)],
      description: body.description ?? null,
      secret,
      createdBy: user.id,
    });
    await this.audit.record({
      actorId: user.id,
      action: 'webhook.create',
      entityType: 'webhook',
      entityId: created.id,
      details: { url: created.url, events: created.events },
    });
    return created;
  }

  list() {
    return this.subscriptions.list();
  }

  async update(id: string, body: WebhookChanges, user: AuthUser) {
    if (body.url !== undefined) await this.checkUrl(body.url);
    const changed = await this.subscriptions.update(id, {
      ...body,
      ...(body.events ? { events: [...new Set(body.events)] } : {}),
    });
    if (!changed) throw notFound('webhook', id);
    await this.audit.record({
      actorId: user.id,
      action: 'webhook.update',
      entityType: 'webhook',
      entityId: id,
      details: body,
    });
    return changed;
  }

  async remove(id: string, user: AuthUser): Promise<void> {
    if (!(await this.subscriptions.remove(id))) throw notFound('webhook', id);
    await this.audit.record({
      actorId: user.id,
      action: 'webhook.delete',
      entityType: 'webhook',
      entityId: id,
      details: {},
    });
  }

  async deliveriesOf(id: string, limit: number, cursor: string | undefined) {
    if (!(await this.subscriptions.find(id))) throw notFound('webhook', id);
    const rows = await this.deliveries.list(id, limit + 1, readCursor(cursor));
    const items = rows.slice(0, limit);
    return {
      items,
      nextCursor: rows.length > limit ? cursorOf(items[items.length - 1]) : null,
    };
  }

  /** Sends one delivery again, as it was (the same webhook-id and body, a new signature). */
  async replay(id: string, deliveryId: string, user: AuthUser) {
    const sub = await this.subscriptions.find(id);
    if (!sub) throw notFound('webhook', id);
    const delivery = await this.deliveries.find(deliveryId);
    if (!delivery || delivery.subscriptionId !== id) throw notFound('delivery', deliveryId);
    if (!sub.active)
      throw new DomainError(
        'conflict',
        `webhook ${id} is disabled${sub.disabledReason ? ` (${sub.disabledReason})` : ''}; enable it first`,
      );
    await this.deliveries.reopen(deliveryId);
    await this.publisher.resend(deliveryId);
    await this.audit.record({
      actorId: user.id,
      action: 'webhook.replay',
      entityType: 'webhook',
      entityId: id,
      details: { deliveryId },
    });
    return (await this.deliveries.find(deliveryId))!;
  }

  private async checkUrl(url: string): Promise<void> {
    const problem = await webhookUrlProblem(url, this.config.env.WEBHOOK_ALLOW_PRIVATE);
    if (problem) throw new DomainError('bad_request', problem);
  }
}
