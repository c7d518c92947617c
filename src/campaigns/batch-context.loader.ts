import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transactions';
import {
  RoutingContextRepository,
  type LoadedCustomer,
  type PageOptions,
} from '../routing/routing-context.repository';
import { segmentSql, type Segment } from './segment';

export type BatchCustomer = LoadedCustomer;

/**
 * The next customers of a segment after a keyset cursor, each with everything the routing
 * decision reads, by the same read RoutingContextLoader makes for one customer (and, for a
 * low-urgency campaign, what a digest plan reads): one query per part of a batch.
 */
@Injectable()
export class BatchContextLoader {
  constructor(private readonly contexts: RoutingContextRepository) {}

  next(
    segment: Segment,
    after: string | null,
    limit: number,
    now: Date,
    tx?: Tx,
    options: PageOptions = {},
  ): Promise<BatchCustomer[]> {
    return this.contexts.page(
      (offset) => segmentSql(segment, offset),
      after,
      limit,
      now,
      tx,
      options,
    );
  }
}
