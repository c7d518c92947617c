import { Injectable } from '@nestjs/common';
import { contactBudgetView, type ContactBudgetView } from './contact-budget-view';
import { RoutingContextLoader } from './routing-context.loader';
import { RoutingPolicyProvider } from './routing-policy';

/** A customer's contact budget now: the routing read, the live policy, the pure view. */
@Injectable()
export class ContactBudgetService {
  constructor(
    private readonly loader: RoutingContextLoader,
    private readonly policy: RoutingPolicyProvider,
  ) {}

  async of(customerId: string, now = new Date()): Promise<ContactBudgetView> {
    const loaded = await this.loader.load(customerId, now);
    return contactBudgetView(loaded.context, this.policy.current(now.getTime()), now);
  }
}
