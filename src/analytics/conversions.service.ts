import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { DomainError, notFound } from '../common/errors/domain-error';

/** A conversion counts toward the last campaign touch (a send, an open or a click) within this many days. */
export const ATTRIBUTION_DAYS = 30;

export const conversionSchema = z
  .object({
    customerId: z.string().uuid(),
    orderId: z.string().trim().min(1).max(200),
    amount: z.number().nonnegative().max(1e11),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or CNY'),
    occurredAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type ConversionInput = z.infer<typeof conversionSchema>;

type Row = Record<string, unknown>;

function view(r: Row) {
  return {
    id: r.id as string,
    customerId: r.customer_id as string,
    orderId: r.order_id as string,
    amount: Number(r.amount),
    currency: r.currency as string,
    campaignId: (r.campaign_id as string | null) ?? null,
    channel: (r.channel as string | null) ?? null,
    occurredAt: new Date(r.occurred_at as string).toISOString(),
  };
}

/** POST /conversions: an order, attributed to the customer's last campaign touch; idempotent per orderId. */
@Injectable()
export class ConversionsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(
    input: ConversionInput,
  ): Promise<{ created: boolean; conversion: ReturnType<typeof view> }> {
    const customer = (await this.db.query(
      `SELECT id FROM customers WHERE id = $1 AND erased_at IS NULL`,
      [input.customerId],
    )) as Row[];
    if (!customer[0]) throw notFound('customer', input.customerId);
    const at = input.occurredAt ? new Date(input.occurredAt) : new Date();
    const touch = (await this.db.query(
      `SELECT campaign_id, channel FROM (
         SELECT campaign_id, channel, created_at AS at FROM campaign_recipients
          WHERE customer_id = $1 AND status = 'sent' AND created_at <= $2 AND created_at > $2::timestamptz - make_interval(days => $3)
         UNION ALL
         SELECT campaign_id, channel, created_at FROM tracking_events
          WHERE customer_id = $1 AND campaign_id IS NOT NULL AND kind IN ('open', 'click') AND created_at <= $2 AND created_at > $2::timestamptz - make_interval(days => $3)
       ) t ORDER BY at DESC LIMIT 1`,
      [input.customerId, at, ATTRIBUTION_DAYS],
    )) as Row[];
    const inserted = (await this.db.query(
      `INSERT INTO conversions (customer_id, order_id, amount, currency, campaign_id, channel, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (order_id) DO NOTHING RETURNING *`,
      [
        input.customerId,
        input.orderId,
        input.amount,
        input.currency,
        touch[0]?.campaign_id ?? null,
        touch[0]?.channel ?? null,
        at,
      ],
    )) as Row[];
    if (inserted[0]) return { created: true, conversion: view(inserted[0]) };
    const existing = (await this.db.query(`SELECT * FROM conversions WHERE order_id = $1`, [
      input.orderId,
    ])) as Row[];
    if (existing[0].customer_id !== input.customerId) {
      throw new DomainError(
        'conflict',
        `orderId: order ${input.orderId} is already recorded for another customer`,
      );
    }
    return { created: false, conversion: view(existing[0]) };
  }
}
