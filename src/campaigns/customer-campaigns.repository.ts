import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Most campaigns listed for one customer. */
export const CUSTOMER_CAMPAIGNS_SHOWN = 50;

/** A campaign as one customer received it. */
export interface ReceivedCampaign {
  campaignId: string;
  name: string;
  /** When it was sent to them (or suppressed for them). */
  sentAt: string;
  channel: string | null;
  /** 'sent' or 'suppressed' for this customer. */
  status: string;
  suppression: string | null;
  /** The message's delivery status, when one was sent. */
  delivery: string | null;
  opened: boolean;
  clicked: boolean;
}

/** campaign_recipients of one customer (campaign_recipients_customer), with their tracking. */
@Injectable()
export class CustomerCampaignsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** null when there is no such customer (or it is merged away or erased). */
  async received(customerId: string): Promise<ReceivedCampaign[] | null> {
    const found = (await this.db.query(
      `SELECT 1 FROM customers WHERE id = $1 AND merged_into_id IS NULL AND erased_at IS NULL`,
      [customerId],
    )) as unknown[];
    if (found.length === 0) return null;
    const rows = (await this.db.query(
      `SELECT cr.campaign_id, ca.name, cr.created_at, cr.channel, cr.status, cr.suppression,
              m.status AS delivery,
              EXISTS (SELECT 1 FROM tracking_events te WHERE te.campaign_id = cr.campaign_id
                        AND te.customer_id = cr.customer_id AND te.kind = 'open') AS opened,
              EXISTS (SELECT 1 FROM tracking_events te WHERE te.campaign_id = cr.campaign_id
                        AND te.customer_id = cr.customer_id AND te.kind = 'click') AS clicked
         FROM campaign_recipients cr
         JOIN campaigns ca ON ca.id = cr.campaign_id
         LEFT JOIN messages m ON m.id = cr.message_id
        WHERE cr.customer_id = $1
        ORDER BY cr.created_at DESC
        LIMIT ${CUSTOMER_CAMPAIGNS_SHOWN}`,
      [customerId],
    )) as Array<{
      campaign_id: string;
      name: string;
      created_at: Date;
      channel: string | null;
      status: string;
      suppression: string | null;
      delivery: string | null;
      opened: boolean;
      clicked: boolean;
    }>;
    return rows.map((r) => ({
      campaignId: r.campaign_id,
      name: r.name,
      sentAt: new Date(r.created_at).toISOString(),
      channel: r.channel,
      status: r.status,
      suppression: r.suppression,
      delivery: r.delivery,
      opened: r.opened,
      clicked: r.clicked,
    }));
  }
}
