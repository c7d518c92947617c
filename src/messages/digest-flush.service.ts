import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { Channel } from '../common/names';
import { OutboundService } from '../delivery/outbound.service';
import { JobHandler } from '../queue/job-handler.decorator';
import {
  DIGEST_TEMPLATE,
  routeDigest,
  type CustomerRoutingContext,
  type DigestRoute,
} from '../routing/decision';
import { routeView } from '../routing/route-view';
import { RoutingContextRepository } from '../routing/routing-context.repository';
import { RoutingPolicyProvider } from '../routing/routing-policy';
import { TemplateEngine } from '../templates/template-engine';
import { DIGEST_JOB } from './digest-job';
import { DigestsRepository, type DigestItem } from './digests.repository';
import { MessageRenderer } from './message-renderer';

/**
 * Sends a due digest (the timers/digest-flush job, dedupeKey digest:<id>) in three steps, each
 * safe to repeat, so a flush killed anywhere, or run twice, neither loses nor doubles:
 * 1. close: nothing joins the digest any more (a later message opens a new one), so a repeated
 *    flush reads the same items;
 * 2. one routed, rendered message for the items, sent through OutboundService with the
 *    idempotency key digest:<id> (the message and its send job in one statement): a repeat
 *    finds that message instead of making another;
 * 3. settle: the carried items point at it (metadata.digest.messageId), the dropped ones are
 *    suppressed with their reason, the digest is marked sent.
 */
@Injectable()
export class DigestFlushService {
  private readonly log = new Logger('Digests');

  constructor(
    private readonly digests: DigestsRepository,
    private readonly contexts: RoutingContextRepository,
    private readonly policy: RoutingPolicyProvider,
    private readonly templates: TemplateEngine,
    private readonly renderer: MessageRenderer,
    private readonly outbound: OutboundService,
  ) {}

  @JobHandler(DIGEST_JOB.queue, DIGEST_JOB.name)
  async flush(payload: Record<string, unknown>): Promise<void> {
    const digestId = String(payload.digestId);
    const digest = await this.digests.close(digestId);
    // Sent or dropped already: a repeated job has nothing to do.
    if (!digest || digest.status !== 'closed') return;
    const items = await this.digests.items(digestId);
    if (items.length === 0) return this.digests.settle(digestId, null, [], 'no messages left');
    const now = new Date();
    // The items' customer: the digest's, or the one it was merged into since.
    const customerId = items[0].customerId;
    const loaded = await this.contexts.ofCustomer(customerId, now);
    if (!loaded) {
      const reason = 'customer erased before the digest was due';
      return this.drop(digestId, items, reason);
    }
    const ctx: CustomerRoutingContext = {
      ...loaded.context,
      templateChannels: this.templates.availableChannels(DIGEST_TEMPLATE),
    };
    const route = routeDigest(ctx, items, now, this.policy.current(now.getTime()));
    if (route.decision === null) {
      return this.digests.settle(digestId, null, route.dropped, 'no item can be sent');
    }
    const kept = items.filter((i) => route.kept.includes(i.id));
    let sent;
    try {
      sent = await this.send(digestId, customerId, ctx, loaded.displayName, route, kept);
    } catch (e) {
      // Refused at the send's own identity and consent check: nothing goes, each item says why.
      if (!(e instanceof DomainError)) throw e;
      return this.drop(digestId, items, `digest not sent: ${e.message}`);
    }
    // A repeated flush: the message it found carries what the first flush put in it.
    const carried = sent.carried;
    const dropped = [
      ...route.dropped,
      ...kept
        .filter((i) => !carried.includes(i.id))
        .map((i) => ({ id: i.id, reason: 'left out of the digest when it was first sent' })),
    ];
    await this.digests.settle(digestId, sent.messageId, dropped, null);
    this.log.log(`digest ${digestId}: ${carried.length} message(s) sent as ${sent.messageId}`);
  }

  private async drop(digestId: string, items: DigestItem[], reason: string): Promise<void> {
    this.log.warn(`digest ${digestId} dropped: ${reason}`);
    await this.digests.settle(
      digestId,
      null,
      items.map((i) => ({ id: i.id, reason })),
      reason,
    );
  }

  private async send(
    digestId: string,
    customerId: string,
    ctx: CustomerRoutingContext,
    displayName: string,
    route: DigestRoute,
    kept: DigestItem[],
  ): Promise<{ messageId: string; carried: string[] }> {
    const d = route.decision!;
    const entries = kept.map((item) => this.entryOf(item, d.channel, ctx, displayName));
    // A marketing digest carries the preference-centre link like any marketing message.
    const rendered = await this.renderer.withShortLinks(
      this.renderer.render(
        MessageRenderer.targetOf(ctx, displayName, DIGEST_TEMPLATE, d.channel, {
          items: entries,
          count: entries.length,
        }),
        route.purpose,
      ),
      customerId,
    );
    const view = routeView(d);
    const ids = kept.map((i) => i.id);
    view.reasons.push(`digest ${digestId} carries ${ids.length} message(s): ${ids.join(', ')}`);
    for (const drop of route.dropped) view.reasons.push(`left out ${drop.id}: ${drop.reason}`);
    const { message } = await this.outbound.send({
      customerId,
      channel: d.channel,
      text: rendered.text,
      html: rendered.html ?? null,
      subject: rendered.subject ?? null,
      purpose: route.purpose,
      idempotencyKey: `digest:${digestId}`,
      route: view as unknown as Record<string, unknown>,
      sendAt: d.delayed ? d.sendAt : null,
      topic: route.topic,
      urgency: 'low',
      template: DIGEST_TEMPLATE,
      metadata: {
        template: DIGEST_TEMPLATE,
        locale: rendered.locale,
        templateVersion: rendered.version,
        digest: { id: digestId, carried: ids, dropped: route.dropped },
      },
    });
    const stored = (message.metadata?.digest ?? {}) as { carried?: string[] };
    return { messageId: message.id, carried: stored.carried ?? ids };
  }

  /**
   * An item as the digest lists it: its own rendering when the digest goes on its channel,
   * else its template rendered again for the digest's channel (its stored text when the
   * template has no such variant or no longer renders).
   */
  private entryOf(
    item: DigestItem,
    channel: Channel,
    ctx: CustomerRoutingContext,
    displayName: string,
  ): { id: string; subject: string | null; text: string; topic: string | null } {
    const own = { id: item.id, subject: item.subject, text: item.text, topic: item.topic };
    if (item.channel === channel || item.template === null) return own;
    if (!this.templates.availableChannels(item.template).has(channel)) return own;
    const data = (item.metadata.data as Record<string, unknown> | undefined) ?? {};
    try {
      const r = this.renderer.render(
        MessageRenderer.targetOf(ctx, displayName, item.template, channel, data),
      );
      return { ...own, subject: r.subject ?? item.subject, text: r.text };
    } catch {
      return own;
    }
  }
}
