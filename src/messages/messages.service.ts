import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError, notFound } from '../common/errors/domain-error';
import { DeliveryAttemptsRepository } from '../delivery/delivery-attempts.repository';
import { OutboundService } from '../delivery/outbound.service';
import type { RouteChosen } from '../routing/decision';
import { RoutingService, type RoutedIntent } from '../routing/routing.service';
import { TemplateEngine } from '../templates/template-engine';
import { purposeRefusal } from '../templates/purposes';
import { MessageRenderer } from './message-renderer';
import { MessagesRepository } from './messages.repository';
import { routeView } from '../routing/route-view';
import type { RouteView, SendMessage } from './messages.dto';

/** POST /messages and /routing/preview: decide, render, then (for a send) queue it with its first fallback check. */
@Injectable()
export class MessagesService {
  private readonly log = new Logger('Messages');

  constructor(
    private readonly messages: MessagesRepository,
    private readonly attempts: DeliveryAttemptsRepository,
    private readonly routing: RoutingService,
    private readonly renderer: MessageRenderer,
    private readonly outbound: OutboundService,
    private readonly templates: TemplateEngine,
  ) {}

  /** The caller does not choose the purpose freely: the template states those it may be sent for. */
  private checkPurpose(body: SendMessage, caller: Pick<AuthUser, 'role'> | null): void {
    const refusal = purposeRefusal(
      body.template,
      this.templates.purposesOf(body.template),
      body.purpose,
      caller?.role ?? null,
    );
    if (refusal) throw refusal;
  }

  async send(body: SendMessage, caller: Pick<AuthUser, 'id' | 'role'> | null) {
    this.checkPurpose(body, caller);
    const authorId = caller?.id ?? null;
    try {
      return await this.sendOnce(body, authorId);
    } catch (e) {
      // A retry returns the first message even when it would be refused now (consent revoked
      // since, ...). The unique index (INSERT ... ON CONFLICT) is what guarantees one message;
      // a first send needs no lookup before it.
      if (!body.idempotencyKey) throw e;
      // A failed lookup must not hide why the send failed: the send's own error is thrown.
      const first = await this.byIdempotencyKey(body.idempotencyKey).catch((lookup: unknown) => {
        this.log.warn(`idempotency key lookup failed: ${(lookup as Error).message}`);
        return null;
      });
      if (first === null) throw e;
      return first;
    }
  }

  private async byIdempotencyKey(key: string) {
    const first = await this.messages.summaryByIdempotencyKey(key);
    if (!first) return null;
    return { messageId: first.messageId, status: first.status, route: first.route as RouteView };
  }

  private async sendOnce(body: SendMessage, authorId: string | null) {
    const routed = await this.decide(body);
    const d = routed.decision as RouteChosen;
    const rendered = this.renderer.render(
      MessageRenderer.targetOf(
        routed.context,
        routed.displayName,
        body.template,
        d.channel,
        body.data,
      ),
    );
    const route = routeView(d);
    const { message, created } = await this.outbound.send({
      customerId: body.customerId,
      channel: d.channel,
      text: rendered.text,
      html: rendered.html ?? null,
      subject: rendered.subject ?? null,
      purpose: body.purpose,
      authorId,
      idempotencyKey: body.idempotencyKey ?? null,
      route: route as unknown as Record<string, unknown>,
      sendAt: d.delayed ? d.sendAt : null,
      topic: body.topic,
      urgency: body.urgency,
      template: body.template,
      fallbackCheckAt:
        d.fallbacks.length > 0
          ? new Date(d.sendAt.getTime() + d.fallbacks[0].afterSeconds * 1000)
          : null,
      metadata: {
        template: body.template,
        data: body.data,
        locale: rendered.locale,
        templateVersion: rendered.version,
        fallbacks: route.fallbacks,
        ...(rendered.segments ? { segments: rendered.segments.segments } : {}),
      },
    });
    return {
      messageId: message.id,
      status: message.status,
      route: (created ? route : (message.route as RouteView)) ?? route,
    };
  }

  async preview(body: SendMessage, caller: Pick<AuthUser, 'role'> | null) {
    this.checkPurpose(body, caller);
    const routed = await this.decide(body);
    const d = routed.decision as RouteChosen;
    const r = this.renderer.render(
      MessageRenderer.targetOf(
        routed.context,
        routed.displayName,
        body.template,
        d.channel,
        body.data,
      ),
    );
    return {
      route: routeView(d),
      rendered: {
        channel: r.channel,
        locale: r.locale,
        ...(r.subject !== undefined ? { subject: r.subject } : {}),
        text: r.text,
        ...(r.html !== undefined ? { html: r.html } : {}),
        ...(r.segments !== undefined ? { segments: r.segments } : {}),
      },
    };
  }

  async get(id: string) {
    const message = await this.messages.byId(id);
    if (!message) throw notFound('message', id);
    const attempts = await this.attempts.ofMessage(id);
    const followUps = await this.messages.followUpsOf(id);
    return {
      ...message,
      purpose: message.purpose ?? null,
      topic: message.topic ?? null,
      urgency: message.urgency ?? null,
      template: message.template ?? null,
      sendAt: message.sendAt ?? null,
      metadata: message.metadata ?? {},
      attempts: attempts.map((a) => ({
        channel: a.channel,
        status: a.status,
        ...(a.error ? { error: a.error, errorClass: a.errorClass, errorCode: a.errorCode } : {}),
        at: new Date(a.createdAt).toISOString(),
      })),
      fallbackMessages: followUps.map((f) => ({
        id: f.id,
        channel: f.channel,
        status: f.status,
        createdAt: new Date(f.createdAt).toISOString(),
      })),
    };
  }

  private async decide(body: SendMessage): Promise<RoutedIntent> {
    const routed = await this.routing.decide(body.customerId, {
      topic: body.topic,
      urgency: body.urgency,
      purpose: body.purpose,
      template: body.template,
      ...(body.channel ? { channel: body.channel } : {}),
    });
    const d = routed.decision;
    if (!d.ok) {
      throw new DomainError(
        'unprocessable',
        `route: no allowed channel (${d.suppression}): ${d.reasons.join('; ')}`,
        {
          suppression: d.suppression,
          reasons: d.reasons,
        },
      );
    }
    return routed;
  }
}
