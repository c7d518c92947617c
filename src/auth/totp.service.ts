import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { AppConfig } from '../config/app-config';
import { SettingsService } from '../settings/settings.service';

const ISSUER = 'Omnichannel Hub';
/** A code of the previous or next 30-second step is accepted too (clock drift). */
const TOLERANCE_SECONDS = 30;
const PERIOD_SECONDS = 30;

/**
 * TOTP (RFC 6238) secrets and codes. Secrets are stored encrypted with AES-256-GCM under
 * TOTP_ENCRYPTION_KEY (or a key generated once and kept in the settings table), so a copy of the
 * users table alone does not give the second factor away.
 */
@Injectable()
export class TotpService implements OnModuleInit {
  private key!: Buffer;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {}

  async onModuleInit(): Promise<void> {
    const raw =
      this.config.env.TOTP_ENCRYPTION_KEY ??
      (await this.settings.getOrCreate('totp_key', () => randomBytes(32).toString('base64url')));
    this.key = createHash('sha256').update(raw).digest();
  }

  /** A new secret (base32) and the otpauth:// URL an authenticator app scans. */
  newSecret(label: string): { secret: string; otpauthUrl: string } {
    const secret = generateSecret();
    return { secret, otpauthUrl: generateURI({ issuer: ISSUER, label, secret }) };
  }

  /** The time step the code belongs to when it is valid for the secret now, else null. */
  async check(secret: string, code: string): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    const epoch = Math.floor(Date.now() / 1000);
    const r = await verify({ secret, token: code, epoch, epochTolerance: TOLERANCE_SECONDS });
    if (!r.valid) return null;
    return Math.floor(epoch / PERIOD_SECONDS) + r.delta;
  }

  encrypt(secret: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
    return ['v1', iv, c.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  decrypt(stored: string): string {
    const [v, iv, tag, body] = stored.split(':');
    if (v !== 'v1' || !iv || !tag || !body) throw new Error('unreadable TOTP secret');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  }
}
