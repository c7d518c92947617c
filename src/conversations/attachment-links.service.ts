import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';
import { LinkSigner } from '../tracking/link-signer';

/** How long a signed attachment link opens the file: long enough to click, short enough to leak little. */
export const ATTACHMENT_LINK_SECONDS = 300;

/**
 * Short-lived signed links to stored attachments, so a new tab, an <img> or the PDF viewer can open
 * a file without the bearer header they cannot send. The caller's right to see the conversation is
 * checked when the link is issued; the link itself carries only the attachment id and its expiry.
 */
@Injectable()
export class AttachmentLinksService implements OnModuleInit {
  private signer: LinkSigner | null = null;

  constructor(
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const jwt = this.config.env.JWT_SECRET;
    const secret = jwt
      ? createHash('sha256').update(`attachments:${jwt}`).digest('base64url')
      : await this.settings.getOrCreate('attachment_link_secret', () =>
          randomBytes(32).toString('base64url'),
        );
    this.signer = new LinkSigner(secret);
  }

  issue(attachmentId: string, now = Date.now()): { url: string; expiresAt: string } {
    const expires = Math.floor(now / 1000) + ATTACHMENT_LINK_SECONDS;
    const token = this.active().sign('a', [attachmentId, String(expires)]);
    return {
      url: `/api/v1/attachments/${attachmentId}/signed?token=${token}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** 'ok', or why the token does not open this attachment. */
  check(attachmentId: string, token: string, now = Date.now()): 'ok' | 'invalid' | 'expired' {
    const fields = this.active().verify('a', token);
    if (fields === null || fields.length !== 2 || fields[0] !== attachmentId) return 'invalid';
    const expires = Number(fields[1]);
    if (!Number.isInteger(expires)) return 'invalid';
    return expires * 1000 < now ? 'expired' : 'ok';
  }

  private active(): LinkSigner {
    if (this.signer === null) throw new Error('attachment link signer used before module init');
    return this.signer;
  }
}
