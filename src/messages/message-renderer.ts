import { Injectable } from '@nestjs/common';
import type { Channel } from '../common/names';
import type { CustomerRoutingContext } from '../routing/decision';
import { TemplateEngine } from '../templates/template-engine';
import { templateHttpError } from '../templates/template-http-errors';
import type { RenderedTemplate } from '../templates/template-types';

export interface RenderTarget {
  template: string;
  channel: Channel;
  locale: string;
  timezone: string;
  attributes: Readonly<Record<string, unknown>>;
  displayName: string;
  data: Readonly<Record<string, unknown>>;
}

/** Renders an intent's template for one channel in the customer's locale, tone and timezone. */
@Injectable()
export class MessageRenderer {
  constructor(private readonly engine: TemplateEngine) {}

  render(target: RenderTarget): RenderedTemplate {
    const given = target.data.customer;
    const customer = {
      name: target.displayName,
      ...(given !== null && typeof given === 'object' ? (given as Record<string, unknown>) : {}),
    };
    try {
      return this.engine.render(target.template, target.channel, {
        locale: target.locale,
        attributes: target.attributes,
        timezone: target.timezone,
        data: { ...target.data, customer },
      });
    } catch (e) {
      throw templateHttpError(e, 'unprocessable');
    }
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
    };
  }
}
