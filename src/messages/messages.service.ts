import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError, notFound } from '../common/errors/domain-error';
import { DeliveryAttemptsRepository } from '../delivery/delivery-attempts.repository';
import { OutboundService } from '../delivery/outbound.service';
import type { DigestPlan, RouteChosen } from '../routing/decision';
import { RoutingService, type RoutedIntent } from '../routing/routing.service';
import { TemplateEngine } from '../templates/template-engine';
import { purposeRefusal } from '../templates/purposes';
import type { RenderedTemplate } from '../templates/template-types';
import { DigestGatherer } from './digest-gatherer';
import { MessageRenderer } from './message-renderer';
import { MessagesRepository } from './messages.repository';
import { routeView } from '../routing/route-view';
import { LANGUAGES } from '../customer-texts/catalog';
import { explainRoute } from '../customer-texts/route-explanations';
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
    private readonly digests: DigestGatherer,
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
      // since, ...). The key's row in message_keys (its insert trigger) is what guarantees one message;
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
    const now = new Date();
    const routed = await this.decide(body, now);
    const d = routed.decision as RouteChosen;
    const plan = await this.digests.plan(routed.context, body, now);
    const rendered = await this.renderer.withShortLinks(
      this.renderer.render(
        MessageRenderer.targetOf(
          routed.context,
          routed.displayName,
          body.template,
          d.channel,
          body.data,
        ),
        body.purpose,
      ),
      body.customerId,
    );
    if (plan.gather) return this.gather(body, authorId, routed, rendered, plan, now);
    const route = routeView(d);
    if (plan.reason !== null) route.reasons.push(plan.reason);
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
      metadata: this.metadataOf(body, rendered, route),
    });
    return {
      messageId: message.id,
      status: message.status,
      route: (created ? route : (message.route as RouteView)) ?? route,
    };
  }

  /**
   * A low-urgency message within the customer's digest window: held in their digest, which
   * goes on their preferred channel when it is due (route.sendAt); status 'digested'.
   */
  private async gather(
    body: SendMessage,
    authorId: string | null,
    routed: RoutedIntent,
    rendered: RenderedTemplate,
    plan: Extract<DigestPlan, { gather: true }>,
    now: Date,
  ) {
    const d = routed.decision as RouteChosen;
    const route = routeView(d);
    route.sendAt = plan.dueAt.toISOString();
    route.reasons.push(plan.reason);
    const held = await this.digests.gather(
      {
        customerId: body.customerId,
        channel: d.channel,
        address: d.address,
        text: rendered.text,
        html: rendered.html ?? null,
        subject: rendered.subject ?? null,
        purpose: body.purpose,
        topic: body.topic,
        template: body.template,
        authorId,
        idempotencyKey: body.idempotencyKey ?? null,
        route: route as unknown as Record<string, unknown>,
        metadata: this.metadataOf(body, rendered, route),
      },
      plan,
      routed.context,
      now,
    );
    if (held === null) return (await this.byIdempotencyKey(body.idempotencyKey!))!;
    // A digest closed since the plan: the message opened the next one.
    if (held.dueAt.getTime() !== plan.dueAt.getTime()) route.sendAt = held.dueAt.toISOString();
    return { messageId: held.message.id, status: held.message.status, route };
  }

  private metadataOf(body: SendMessage, rendered: RenderedTemplate, route: RouteView) {
    return {
      template: body.template,
      data: body.data,
      locale: rendered.locale,
      templateVersion: rendered.version,
      fallbacks: route.fallbacks,
      ...(rendered.segments ? { segments: rendered.segments.segments } : {}),
    };
  }

  /**
   * The route a send would take now, digest included (a low-urgency message inside the
   * customer's window would wait in their digest: route.sendAt is the digest's due time), told
   * in plain words in both languages, and the message rendered for its channel. Sends nothing.
   */
  async preview(body: SendMessage, caller: Pick<AuthUser, 'role'> | null) {
    this.checkPurpose(body, caller);
    const now = new Date();
    const routed = await this.decide(body, now);
    const d = routed.decision as RouteChosen;
    const plan = await this.digests.plan(routed.context, body, now);
    const route = routeView(d);
    if (plan.gather) {
      route.sendAt = plan.dueAt.toISOString();
      route.reasons.push(plan.reason);
    } else if (plan.reason !== null) route.reasons.push(plan.reason);
    const facts = {
      channel: route.channel,
      urgency: body.urgency,
      reasons: route.reasons,
      timezone: routed.context.timezone,
      preview: true,
    };
    const r = this.renderer.render(
      MessageRenderer.targetOf(
        routed.context,
        routed.displayName,
        body.template,
        d.channel,
        body.data,
      ),
      body.purpose,
    );
    return {
      route,
      digest: plan.gather
        ? { gathered: true, digestId: plan.digestId, dueAt: plan.dueAt.toISOString() }
        : { gathered: false },
      explanation: Object.fromEntries(LANGUAGES.map((lang) => [lang, explainRoute(lang, facts)])),
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

  /** What the customer was sent lately, with each route's reasons (the preference centre shows them). */
  recentOutbound(customerId: string, limit = 10) {
    return this.messages.recentOutbound(customerId, limit);
  }

  private async decide(body: SendMessage, now = new Date()): Promise<RoutedIntent> {
    const routed = await this.routing.decide(
      body.customerId,
      {
        topic: body.topic,
        urgency: body.urgency,
        purpose: body.purpose,
        template: body.template,
        ...(body.channel ? { channel: body.channel } : {}),
      },
      now,
    );
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
