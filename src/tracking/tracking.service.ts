import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { SettingsService } from '../settings/settings.service';
import { AppConfig } from '../config/app-config';
import { LinkSigner } from './link-signer';
import {
  TrackingRepository,
  type ShortLinkRecord,
  type TrackingEventKind,
} from './tracking.repository';

export type { TrackingEventKind } from './tracking.repository';

/** The signer of tracking links (a secret shared by every instance) and the tracking event ledger. */
@Injectable()
export class TrackingService implements OnModuleInit {
  private signerInstance: LinkSigner | null = null;

  constructor(
    private readonly repo: TrackingRepository,
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

  /** A link of a deleted campaign or an erased customer records nothing. */
  async record(
    kind: TrackingEventKind,
    campaignId: string | null,
    customerId: string,
    channel: string | null,
    url?: string,
  ): Promise<void> {
    await this.repo.insertEvent({ kind, campaignId, customerId, channel, url: url ?? null });
  }

  shortLink(code: string): Promise<ShortLinkRecord | null> {
    return this.repo.shortLink(code);
  }
}
