import { Injectable } from '@nestjs/common';
import type { Channel, Purpose } from '../common/names';
import type { CustomerRoutingContext } from '../routing/decision';
import { withPreferenceFooter } from '../templates/preference-footer';
import { countSmsSegments } from '../templates/sms-segments';
import { TemplateEngine } from '../templates/template-engine';
import { templateHttpError } from '../templates/template-http-errors';
import type { RenderedTemplate } from '../templates/template-types';
import { TrackingService } from '../tracking/tracking.service';

export interface RenderTarget {
  template: string;
  channel: Channel;
  locale: string;
  timezone: string;
  attributes: Readonly<Record<string, unknown>>;
  displayName: string;
  data: Readonly<Record<string, unknown>>;
  /** The recipient: their preference-centre link is filled in as preferencesUrl. */
  customerId?: string;
}

/** A render, and the preference-centre link it was given (to shorten in an SMS). */
export type RenderedMessage = RenderedTemplate & { preferencesUrl?: string };

/**
 * Renders an intent's template for one channel in the customer's locale, tone and timezone.
 * System values: `customer.name`, and `preferencesUrl` (the recipient's signed link to their
 * preference centre), which wins over a value of the same name in the intent's data.
 */
@Injectable()
export class MessageRenderer {
  constructor(
    private readonly engine: TemplateEngine,
    private readonly tracking: TrackingService,
  ) {}

  /** `purpose` marketing: an e-mail without the preference link gets it as a footer. */
  render(target: RenderTarget, purpose?: Purpose): RenderedMessage {
    const given = target.data.customer;
    const customer = {
      name: target.displayName,
      ...(given !== null && typeof given === 'object' ? (given as Record<string, unknown>) : {}),
    };
    const preferencesUrl =
      target.customerId === undefined
        ? undefined
        : this.tracking.preferenceLink(target.customerId).url;
    try {
      const rendered: RenderedMessage = this.engine.render(target.template, target.channel, {
        locale: target.locale,
        attributes: target.attributes,
        timezone: target.timezone,
        data: {
          ...target.data,
          ...(preferencesUrl !== undefined ? { preferencesUrl } : {}),
          customer,
        },
      });
      if (preferencesUrl === undefined) return rendered;
      rendered.preferencesUrl = preferencesUrl;
      return purpose === 'marketing' ? withPreferenceFooter(rendered, preferencesUrl) : rendered;
    } catch (e) {
      throw templateHttpError(e, 'unprocessable');
    }
  }

  /** Before a send: an SMS that shows the preference link carries it as a short link. */
  async withShortLinks(rendered: RenderedMessage, customerId: string): Promise<RenderedMessage> {
    if (rendered.channel !== 'sms' || rendered.preferencesUrl === undefined) return rendered;
    const text = await this.tracking.shortenInSms(rendered.text, rendered.preferencesUrl, {
      customerId,
    });
    if (text === rendered.text) return rendered;
    return { ...rendered, text, segments: countSmsSegments(text) };
  }

  static targetOf(
    ctx: CustomerRoutingContext,
    displayName: string,
    template: string,
    channel: Channel,
    data: Record<string, unknown>,
  ): RenderTarget {
    return {
      template,
      channel,
      locale: ctx.locale,
      timezone: ctx.timezone,
      attributes: ctx.attributes,
      displayName,
      data,
      customerId: ctx.customerId,
    };
  }
}
