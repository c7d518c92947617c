import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors/domain-error';
import { RoutingContextRepository, type LoadedCustomer } from './routing-context.repository';

export type { LoadedCustomer } from './routing-context.repository';

/**
 * Loads everything the routing decision reads about one customer, in one statement; customers
 * asked for concurrently share that statement (RoutingContextRepository).
 */
@Injectable()
export class RoutingContextLoader {
  constructor(private readonly contexts: RoutingContextRepository) {}

  async load(customerId: string, now: Date): Promise<LoadedCustomer> {
    const loaded = await this.contexts.ofCustomer(customerId, now);
    if (loaded === null) throw notFound('customer', customerId);
    return loaded;
  }
}
