import { Injectable } from '@nestjs/common';
import type { Channel } from '../common/names';
import { decideCampaignSend, type MessageIntent, type RoutingPolicy } from '../routing/decision';
import { withPreferenceFooter } from '../templates/preference-footer';
import { TemplateEngine } from '../templates/template-engine';
import { TrackingService } from '../tracking/tracking.service';
import {
  shortenText,
  trackHtml,
  unsubscribeUrl,
  type RecipientRef,
} from '../tracking/tracking-links';
import type { BatchCustomer } from './batch-context.loader';
import type { CampaignRow } from './campaign-types';
import { messageIds, routeOf, type PlannedSend, type PlannedSuppression } from './recipient-plan';
import { CampaignRenderCache } from './render-cache';
import { pickVariant } from './variant-pick';
import { variantLetter } from '../common/names';

/** What the parts of one batch share: each template's channels and the render cache. */
export interface BatchScope {
  readonly channelsOf: Map<string, ReadonlySet<Channel>>;
  readonly renders: CampaignRenderCache;
}

export interface BatchPlan {
  sends: PlannedSend[];
  suppressed: PlannedSuppression[];
}

/**
 * Routes (the pure decideCampaignSend: decideRoute, then planDigest for a low-urgency campaign)
 * and renders (through a per-batch render cache) every customer of a batch; no I/O.
 */
@Injectable()
export class RecipientPlanner {
  constructor(
    private readonly engine: TemplateEngine,
    private readonly tracking: TrackingService,
  ) {}

  scope(campaign: CampaignRow): BatchScope {
    return {
      channelsOf: new Map(),
      renders: new CampaignRenderCache(this.engine, campaign.data ?? {}),
    };
  }

  plan(
    campaign: CampaignRow,
    customers: readonly BatchCustomer[],
    now: Date,
    policy: RoutingPolicy,
    scope: BatchScope = this.scope(campaign),
  ): BatchPlan {
    const sends: PlannedSend[] = [];
    const suppressed: PlannedSuppression[] = [];
    const { channelsOf, renders: cache } = scope;
    const base = this.tracking.baseUrl;
    const signer = this.tracking.signer;
    const data = campaign.data ?? {};
    const intents = new Map<string, MessageIntent>();
    const newId = messageIds(now);
    for (const customer of customers) {
      const ctx = customer.context;
      const picked =
        campaign.variants && campaign.variants.length > 0
          ? pickVariant(campaign.variants, campaign.id, ctx.customerId)
          : null;
      const template = picked?.template ?? campaign.template;
      const variant = picked === null ? null : variantLetter(picked.index);
      let templateChannels = channelsOf.get(template);
      if (templateChannels === undefined) {
        templateChannels = this.engine.availableChannels(template);
        channelsOf.set(template, templateChannels);
      }
      let intent = intents.get(template);
      if (intent === undefined) {
        intent = {
          topic: campaign.topic,
          urgency: campaign.urgency,
          purpose: campaign.purpose,
          template,
        };
        intents.set(template, intent);
      }
      const decided = decideCampaignSend(
        { ...ctx, templateChannels },
        intent,
        customer.digest ?? null,
        now,
        policy,
      );
      if (decided.kind === 'suppressed') {
        suppressed.push({
          customerId: ctx.customerId,
          suppression: decided.decision.suppression,
          variant,
          reasons: decided.decision.reasons,
        });
        continue;
      }
      const d = decided.decision;
      const ref: RecipientRef = {
        campaignId: campaign.id,
        customerId: ctx.customerId,
        channel: d.channel,
      };
      const unsubscribe = unsubscribeUrl(signer, base, ref);
      const preferences = this.tracking.preferenceLink(ctx.customerId, now).url;
      const recipientData = { ...data, unsubscribeUrl: unsubscribe, preferencesUrl: preferences };
      let rendered;
      try {
        rendered = cache.render({
          template,
          channel: d.channel,
          locale: ctx.locale,
          timezone: ctx.timezone,
          attributes: ctx.attributes,
          displayName: customer.displayName,
          unsubscribeUrl: unsubscribe,
          preferencesUrl: preferences,
        });
      } catch (e) {
        suppressed.push({
          customerId: ctx.customerId,
          suppression: 'noChannel',
          variant,
          reasons: [`render failed on ${d.channel}: ${(e as Error).message}`],
        });
        continue;
      }
      if (campaign.purpose === 'marketing') rendered = withPreferenceFooter(rendered, preferences);
      let text = rendered.text;
      let html = rendered.html ?? null;
      let shortLinks: PlannedSend['shortLinks'] = [];
      if (html !== null) html = trackHtml(html, signer, base, ref);
      if (d.channel === 'sms') {
        const shortened = shortenText(text, base);
        text = shortened.text;
        shortLinks = shortened.links;
      }
      const headers =
        d.channel === 'email' && campaign.purpose === 'marketing'
          ? {
              'List-Unsubscribe': `<${unsubscribe}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            }
          : undefined;
      const route = routeOf(d);
      // Gathered: it waits in the customer's digest, which goes on their preferred channel when
      // due (no send of its own, no fallback); the digest written says which and when.
      const gathered = decided.kind === 'gather' ? decided : null;
      if (decided.kind === 'gather') {
        route.sendAt = decided.plan.dueAt.toISOString();
        route.reasons.push(decided.plan.reason);
      } else if (decided.note !== null) route.reasons.push(decided.note);
      const first = gathered === null ? d.fallbacks[0] : undefined;
      sends.push({
        messageId: newId(),
        customerId: ctx.customerId,
        channel: d.channel,
        address: d.address,
        text,
        html,
        subject: rendered.subject ?? null,
        template,
        variant,
        route,
        metadata: {
          template,
          data: recipientData,
          locale: rendered.locale,
          templateVersion: rendered.version,
          campaignId: campaign.id,
          ...(variant !== null ? { variant } : {}),
          unsubscribeUrl: unsubscribe,
          ...(headers ? { headers } : {}),
          ...(rendered.segments ? { segments: rendered.segments.segments } : {}),
        },
        sendAt: gathered === null && d.delayed ? d.sendAt : null,
        fallbackAt: first ? new Date(d.sendAt.getTime() + first.afterSeconds * 1000) : null,
        digestDue: gathered === null ? null : gathered.newDigestDueAt,
        shortLinks,
      });
    }
    return { sends, suppressed };
  }
}
