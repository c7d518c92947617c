import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  ROUTING_CONTEXT_COLUMNS,
  ROUTING_HISTORY,
  toLoadedCustomer,
  type LoadedCustomer,
  type RoutingContextRow,
} from '../routing/routing-context.query';
import { segmentSql, type Segment } from './segment';

export type BatchCustomer = LoadedCustomer;

type Row = RoutingContextRow & { id: string };

/**
 * The next customers of a segment after a keyset cursor, each with everything the routing
 * decision reads, by the same read RoutingContextLoader makes for one customer: one query per batch.
 */
@Injectable()
export class BatchContextLoader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async next(
    segment: Segment,
    after: string | null,
    limit: number,
    now: Date,
    m: EntityManager = this.db.manager,
  ): Promise<BatchCustomer[]> {
    const seg = segmentSql(segment, 3);
    const rows = (await m.query(
      `WITH c AS MATERIALIZED (
         SELECT c.* FROM customers c
         LEFT JOIN rfm_scores r ON r.customer_id = c.id
         WHERE ($1::uuid IS NULL OR c.id > $1::uuid) AND ${seg.where}
         ORDER BY c.id LIMIT $2)
       SELECT c.id, ${ROUTING_CONTEXT_COLUMNS}
       FROM c CROSS JOIN (SELECT $3::timestamptz AS now) r
       CROSS JOIN LATERAL (${ROUTING_HISTORY}) h
       ORDER BY c.id`,
      [after, limit, now, ...seg.params],
    )) as Row[];
    return rows.map((row) => toLoadedCustomer(row.id, row, now));
  }

  async count(segment: Segment): Promise<number> {
    const seg = segmentSql(segment);
    const rows = (await this.db.query(
      `SELECT count(*)::int AS n FROM customers c LEFT JOIN rfm_scores r ON r.customer_id = c.id WHERE ${seg.where}`,
      seg.params,
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }
}
