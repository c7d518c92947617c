import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

export interface ConversionRecord {
  id: string;
  customerId: string;
  orderId: string;
  amount: number;
  currency: string;
  campaignId: string | null;
  channel: string | null;
  occurredAt: Date;
}

export type NewConversion = Omit<ConversionRecord, 'id'>;

/** The campaign touch a conversion is attributed to. */
export interface CampaignTouch {
  campaignId: string;
  channel: string | null;
}

/** Conversions (orders) and the campaign touches they are attributed to. */
@Injectable()
export class ConversionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the customer exists and is not erased. */
  async customerExists(customerId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT id FROM customers WHERE id = $1 AND erased_at IS NULL`,
      [customerId],
    )) as Row[];
    return rows.length > 0;
  }

  /**
   * The customer's last campaign touch (a send, an open or a click) at or before `at` and within
   * `days` before it; null when there is none.
   */
  async lastTouch(customerId: string, at: Date, days: number): Promise<CampaignTouch | null> {
    const rows = (await this.db.query(
      `SELECT campaign_id, channel FROM (
         SELECT campaign_id, channel, created_at AS at FROM campaign_recipients
          WHERE customer_id = $1 AND status = 'sent' AND created_at <= $2 AND created_at > $2::timestamptz - make_interval(days => $3)
         UNION ALL
         SELECT campaign_id, channel, created_at FROM tracking_events
          WHERE customer_id = $1 AND campaign_id IS NOT NULL AND kind IN ('open', 'click') AND created_at <= $2 AND created_at > $2::timestamptz - make_interval(days => $3)
       ) t ORDER BY at DESC LIMIT 1`,
      [customerId, at, days],
    )) as Row[];
    const r = rows[0];
    return r
      ? { campaignId: r.campaign_id as string, channel: (r.channel as string | null) ?? null }
      : null;
  }

  /** The new conversion, or null when its order is recorded already (orderId is unique). */
  async insert(c: NewConversion): Promise<ConversionRecord | null> {
    const rows = (await this.db.query(
      `INSERT INTO conversions (customer_id, order_id, amount, currency, campaign_id, channel, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (order_id) DO NOTHING RETURNING *`,
      [c.customerId, c.orderId, c.amount, c.currency, c.campaignId, c.channel, c.occurredAt],
    )) as Row[];
    return rows[0] ? conversion(rows[0]) : null;
  }

  async byOrderId(orderId: string): Promise<ConversionRecord | null> {
    const rows = (await this.db.query(`SELECT * FROM conversions WHERE order_id = $1`, [
      orderId,
    ])) as Row[];
    return rows[0] ? conversion(rows[0]) : null;
  }
}

function conversion(r: Row): ConversionRecord {
  return {
    id: r.id as string,
    customerId: r.customer_id as string,
    orderId: r.order_id as string,
    amount: Number(r.amount),
    currency: r.currency as string,
    campaignId: (r.campaign_id as string | null) ?? null,
    channel: (r.channel as string | null) ?? null,
    occurredAt: new Date(r.occurred_at as string),
  };
}
