import { randomBytes } from 'crypto';
import { envSchema, type Env } from './config.schema';
import type { Channel } from '../common/names';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The validated, typed configuration: built once at boot, never read from process.env again. */
export class AppConfig {
  readonly port: number;
  readonly publicUrl: string;
  readonly emailFrom: string;
  /** The admin password, generated when ADMIN_PASSWORD is absent (printed once at start). */
  readonly adminPassword: string;
  readonly adminPasswordGenerated: boolean;

  constructor(readonly env: Readonly<Env>) {
    this.port = env.PORT;
    this.publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
    this.emailFrom = env.EMAIL_FROM ?? env.EMAIL_INBOXES[0];
    this.adminPasswordGenerated = !env.ADMIN_PASSWORD;
    this.adminPassword = env.ADMIN_PASSWORD ?? randomBytes(9).toString('base64url');
  }

  get embeddedDatabase(): boolean {
    return !this.env.DATABASE_URL;
  }

  /** No Redis: neither REDIS_URL nor REDIS_SENTINELS. */
  get inProcessQueue(): boolean {
    return !this.env.REDIS_URL && !this.env.REDIS_SENTINELS?.length;
  }

  get adminEmail(): string {
    return this.env.ADMIN_EMAIL ?? 'admin@localhost';
  }

  get runsApi(): boolean {
    return this.env.PROCESS_ROLE !== 'worker';
  }

  get runsWorker(): boolean {
    return this.env.PROCESS_ROLE !== 'api';
  }

  get twilioConfigured(): boolean {
    return Boolean(this.env.TWILIO_ACCOUNT_SID && this.env.TWILIO_AUTH_TOKEN);
  }

  forcedSandbox(channel: Channel): boolean {
    return this.env.CHANNELS_SANDBOX.includes(channel);
  }

  /** Loads and validates; the error names every bad variable. */
  static load(source: Record<string, string | undefined>): AppConfig {
    const result = envSchema.safeParse(source);
    if (!result.success) {
      throw new ConfigError(
        result.error.issues.map((i) => {
          const name = i.path.join('.');
          const given = source[String(i.path[0])];
          return `${name}: ${i.message}${given === undefined ? ' (missing)' : ''}`;
        }),
      );
    }
    if (result.data.DATABASE_REPLICA_URL && !result.data.DATABASE_URL) {
      throw new ConfigError([
        'DATABASE_REPLICA_URL: needs DATABASE_URL (the primary); the embedded database has no replica',
      ]);
    }
    return new AppConfig(result.data);
  }
}
