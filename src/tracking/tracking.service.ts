import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { SettingsService } from '../settings/settings.service';
import { AppConfig } from '../config/app-config';
import { LinkSigner } from './link-signer';
import {
  preferenceUrl,
  readPreferenceToken,
  signPreferenceToken,
  type PreferenceTokenReading,
} from './preference-links';
import { newShortCode } from './tracking-links';
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

  /** A signed link to the customer's preference centre, valid PREFERENCE_LINK_TTL_DAYS. */
  preferenceLink(customerId: string, now: Date = new Date()): { url: string; expiresAt: Date } {
    const { token, expiresAt } = signPreferenceToken(
      this.signer,
      customerId,
      now,
      this.config.env.PREFERENCE_LINK_TTL_DAYS,
    );
    return { url: preferenceUrl(this.baseUrl, token), expiresAt };
  }

  readPreferenceToken(token: string, now: Date = new Date()): PreferenceTokenReading {
    return readPreferenceToken(this.signer, token, now);
  }

  /**
   * An SMS that shows `url` gets it as a short link (<base>/s/<code>) instead; a text that does
   * not show it (the template did not ask for it) is returned as it is and nothing is stored.
   */
  async shortenInSms(
    text: string,
    url: string,
    ref: { customerId: string; campaignId?: string | null },
  ): Promise<string> {
    if (!text.includes(url)) return text;
    const code = newShortCode();
    await this.repo.insertShortLink({
      code,
      url,
      campaignId: ref.campaignId ?? null,
      customerId: ref.customerId,
      channel: 'sms',
    });
    return text.split(url).join(`${this.baseUrl}/s/${code}`);
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
