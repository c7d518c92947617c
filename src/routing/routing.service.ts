import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { TemplateEngine } from '../templates/template-engine';
import {
  decideRoute,
  type CustomerRoutingContext,
  type MessageIntent,
  type RouteDecision,
} from './decision';
import { RoutingContextLoader } from './routing-context.loader';
import { RoutingPolicyProvider } from './routing-policy';

export interface RoutedIntent {
  decision: RouteDecision;
  context: CustomerRoutingContext;
  displayName: string;
}

/** Loads a customer's context, overlays template availability and provider health, and decides. */
@Injectable()
export class RoutingService {
  constructor(
    private readonly loader: RoutingContextLoader,
    private readonly policy: RoutingPolicyProvider,
    private readonly templates: TemplateEngine,
  ) {}

  async decide(customerId: string, intent: MessageIntent, now = new Date()): Promise<RoutedIntent> {
    const templateChannels = this.templates.availableChannels(intent.template);
    if (templateChannels.size === 0)
      throw new DomainError('unprocessable', `template: unknown template "${intent.template}"`);
    const loaded = await this.loader.load(customerId, now);
    const context: CustomerRoutingContext = { ...loaded.context, templateChannels };
    return {
      decision: decideRoute(context, intent, now, this.policy.current(now.getTime())),
      context,
      displayName: loaded.displayName,
    };
  }
}
