import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { ChannelSendError } from '../channels/channel-port';
import { ChannelRegistry } from '../channels/channel-registry';
import { DomainError } from '../common/errors/domain-error';
import type { Channel } from '../common/names';
import { AppConfig } from '../config/app-config';
import { CustomersService } from '../customers/customers.service';
import { withPreferenceFooter } from './preference-footer';
import { DEFAULT_PURPOSES } from './purposes';
import type { SmsSegments } from './sms-segments';
import { TemplateEngine } from './template-engine';
import { templateHttpError } from './template-http-errors';
import type { RenderedTemplate } from './template-types';

export interface PreviewInput {
  channel: Channel;
  locale?: string;
  variant?: string;
  timezone?: string;
  data: Record<string, unknown>;
  /** Fill name, locale, timezone and variant (its attributes) from this customer. */
  customerId?: string;
  /** An editor's text, rendered in place of the slot's published version. */
  draft?: { subject?: string | null; body: string };
}

/** The system values a send fills per recipient; a preview shows sample ones in their place. */
export interface SystemValues {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

export type Preview = Omit<RenderedTemplate, 'key' | 'segments'> & {
  segments?: SmsSegments & { characters: number };
  systemValues: SystemValues;
  customer?: { id: string; name: string; locale: string };
};

/** The name a preview without a chosen customer shows where a send puts the customer's. */
const SAMPLE_NAME = 'Alex Example';

/**
 * Renders a template as a send would (MessageRenderer, the campaign planner): the customer's
 * name, locale, timezone and tone; system values filled with sample links instead of failing
 * the render; the preference footer on a marketing e-mail. A missing variable of the
 * template's own data is still a 422 naming it.
 */
@Injectable()
export class TemplatePreviewService {
  constructor(
    private readonly engine: TemplateEngine,
    private readonly customers: CustomersService,
    private readonly channels: ChannelRegistry,
    private readonly config: AppConfig,
  ) {}

  systemValues(): SystemValues {
    const base = this.config.publicUrl;
    return { unsubscribeUrl: `${base}/u/preview`, preferencesUrl: `${base}/p/preview` };
  }

  async preview(key: string, input: PreviewInput): Promise<Preview> {
    const customer = input.customerId ? await this.customers.get(input.customerId) : null;
    const system = this.systemValues();
    const given = input.data.customer;
    const data = {
      ...input.data,
      ...system,
      customer: {
        name: customer?.displayName ?? SAMPLE_NAME,
        ...(given !== null && typeof given === 'object' ? (given as Record<string, unknown>) : {}),
      },
    };
    const options = {
      locale: input.locale ?? customer?.locale,
      variant: input.variant,
      attributes: customer?.attributes,
      timezone: input.timezone ?? customer?.timezone,
      data,
    };
    let rendered: RenderedTemplate;
    try {
      rendered = input.draft
        ? this.engine.renderUnsaved(
            {
              key,
              channel: input.channel,
              locale: options.locale ?? 'en',
              variant: input.variant ?? null,
              ...(input.draft.subject ? { subject: input.draft.subject } : {}),
              body: input.draft.body,
              version: 0,
            },
            options,
          )
        : this.engine.render(key, input.channel, options);
    } catch (e) {
      throw templateHttpError(e, 'not_found');
    }
    const purposes = this.engine.purposesOf(key) ?? DEFAULT_PURPOSES;
    if (purposes.includes('marketing'))
      rendered = withPreferenceFooter(rendered, system.preferencesUrl);
    const { key: _key, segments, ...rest } = rendered;
    return {
      ...rest,
      ...(segments !== undefined
        ? { segments: { ...segments, characters: [...rendered.text].length } }
        : {}),
      systemValues: system,
      ...(customer
        ? { customer: { id: customer.id, name: customer.displayName, locale: customer.locale } }
        : {}),
    };
  }

  /** Renders the e-mail as the preview does and sends it to the signed-in user, marked as a test. */
  async testSend(
    key: string,
    input: Omit<PreviewInput, 'channel'>,
    user: Pick<AuthUser, 'email'>,
  ): Promise<{ to: string; subject: string; transport: string }> {
    const rendered = await this.preview(key, { ...input, channel: 'email' });
    const subject = `[Test] ${rendered.subject ?? key}`;
    const adapter = this.channels.get('email');
    try {
      await adapter.send({
        messageId: randomUUID(),
        channel: 'email',
        to: user.email,
        subject,
        text: rendered.text,
        ...(rendered.html !== undefined ? { html: rendered.html } : {}),
        locale: rendered.locale,
      });
    } catch (e) {
      if (e instanceof ChannelSendError)
        throw new DomainError('unavailable', `email: the test send failed: ${e.message}`);
      throw e;
    }
    return { to: user.email, subject, transport: adapter.transport };
  }
}
