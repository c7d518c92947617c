import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

export type TrackingEventKind = 'open' | 'click' | 'unsubscribe';

export interface NewTrackingEvent {
  kind: TrackingEventKind;
  campaignId: string | null;
  customerId: string;
  channel: string | null;
  url: string | null;
}

/** Where an SMS short link leads, and whose send it was part of. */
export interface ShortLinkRecord {
  url: string;
  campaignId: string | null;
  customerId: string | null;
  channel: string | null;
}

/** The tracking event ledger, and the short links campaigns sent. */
@Injectable()
export class TrackingRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Records an event. One of a deleted campaign or an erased customer records nothing (the
   * foreign key would refuse it).
   */
  async insertEvent(e: NewTrackingEvent): Promise<void> {
    await this.db.query(
      `INSERT INTO tracking_events (campaign_id, customer_id, channel, kind, url)
       SELECT $1::uuid, $2::uuid, $3, $4, $5
       WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2::uuid) AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM campaigns WHERE id = $1::uuid))`,
      [e.campaignId, e.customerId, e.channel, e.kind, e.url],
    );
  }

  async insertShortLink(link: ShortLinkRecord & { code: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO short_links (code, url, campaign_id, customer_id, channel) VALUES ($1, $2, $3, $4, $5)`,
      [link.code, link.url, link.campaignId, link.customerId, link.channel],
    );
  }

  async shortLink(code: string): Promise<ShortLinkRecord | null> {
    const rows = (await this.db.query(
      `SELECT url, campaign_id, customer_id, channel FROM short_links WHERE code = $1`,
      [code],
    )) as Row[];
    return rows[0] ? shortLink(rows[0]) : null;
  }
}

function shortLink(r: Row): ShortLinkRecord {
  return {
    url: r.url as string,
    campaignId: r.campaign_id as string | null,
    customerId: r.customer_id as string | null,
    channel: r.channel as string | null,
  };
}
