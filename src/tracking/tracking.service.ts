import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'crypto';
import type { DataSource } from 'typeorm';
import { SettingsService } from '../settings/settings.service';
import { AppConfig } from '../config/app-config';
import { LinkSigner } from './link-signer';

export type TrackingEventKind = 'open' | 'click' | 'unsubscribe';

/** The signer of tracking links (a secret shared by every instance) and the tracking event ledger. */
@Injectable()
export class TrackingService implements OnModuleInit {
  private signerInstance: LinkSigner | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const jwt = this.config.env.JWT_SECRET;
    const secret = jwt
      ? createHash('sha256').update(`tracking:${jwt}`).digest('base64url')
      : await this.settings.getOrCreate('tracking_secret', () =>
          randomBytes(32).toString('base64url'),
        );
    this.signerInstance = new LinkSigner(secret);
  }

  get signer(): LinkSigner {
    if (this.signerInstance === null) throw new Error('tracking signer used before module init');
    return this.signerInstance;
  }

  get baseUrl(): string {
    return this.config.publicUrl.replace(/\/+$/, '');
  }

  async record(
    kind: TrackingEventKind,
    campaignId: string | null,
    customerId: string,
    channel: string | null,
    url?: string,
  ): Promise<void> {
    // A link of a deleted campaign or an erased customer records nothing (the FK would refuse it).
    await this.db.query(
      `INSERT INTO tracking_events (campaign_id, customer_id, channel, kind, url)
       SELECT $1::uuid, $2::uuid, $3, $4, $5
       WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2::uuid) AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM campaigns WHERE id = $1::uuid))`,
      [campaignId, customerId, channel, kind, url ?? null],
    );
  }

  async shortLink(code: string): Promise<{
    url: string;
    campaignId: string | null;
    customerId: string | null;
    channel: string | null;
  } | null> {
    const rows = (await this.db.query(
      `SELECT url, campaign_id, customer_id, channel FROM short_links WHERE code = $1`,
      [code],
    )) as Array<Record<string, string | null>>;
    const r = rows[0];
    return r
      ? {
          url: r.url as string,
          campaignId: r.campaign_id,
          customerId: r.customer_id,
          channel: r.channel,
        }
      : null;
  }
}
