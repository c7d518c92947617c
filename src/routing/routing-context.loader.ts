import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import { notFound } from '../common/errors/domain-error';
import { preparedQuery } from '../common/prepared-query';
import {
  ROUTING_CONTEXT_COLUMNS,
  ROUTING_HISTORY,
  toLoadedCustomer,
  type LoadedCustomer,
  type RoutingContextRow,
} from './routing-context.query';

export type { LoadedCustomer } from './routing-context.query';

interface Ask {
  customerId: string;
  now: Date;
}

type Row = RoutingContextRow & { ord: string };

/**
 * Loads everything the routing decision reads about one customer, in one statement; customers
 * asked for concurrently share that statement.
 */
@Injectable()
export class RoutingContextLoader {
  private readonly reads = new Coalescer((asks: Ask[]) => this.readAll(asks));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(customerId: string, now: Date): Promise<LoadedCustomer> {
    const row = await this.reads.submit({ customerId, now });
    if (row === undefined) throw notFound('customer', customerId);
    return toLoadedCustomer(customerId, row, now);
  }

  /** One row per ask (r.ord), each with its own "now" (r.now); unknown customers have none. */
  private async readAll(asks: Ask[]): Promise<Array<Row | undefined>> {
    const rows = await preparedQuery<Row>(
      this.db,
      `SELECT r.ord, ${ROUTING_CONTEXT_COLUMNS}
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS r(id, now, ord)
       CROSS JOIN LATERAL (SELECT * FROM customers c WHERE c.id = r.id AND c.erased_at IS NULL AND c.merged_into_id IS NULL) c
       CROSS JOIN LATERAL (${ROUTING_HISTORY}) h`,
      [asks.map((a) => a.customerId), asks.map((a) => a.now)],
    );
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    return asks.map((_, i) => byOrd.get(i + 1));
  }
}
