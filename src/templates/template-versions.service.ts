import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import type { Channel, Purpose } from '../common/names';
import { DEFAULT_PURPOSES } from './purposes';
import { TemplateEngine } from './template-engine';
import { templateHttpError } from './template-http-errors';
import {
  TemplateVersionsRepository,
  type TemplateVersionRecord,
} from './template-versions.repository';

export interface TemplateVersionInput {
  key: string;
  channel: Channel;
  locale: string;
  variant?: string | null;
  subject?: string | null;
  body: string;
  /** Omitted: the key's purposes as they are, or DEFAULT_PURPOSES (marketing) for a new key. */
  purposes?: Purpose[];
}

/** A version as the API shows it: the record with its time as ISO text. */
export type TemplateVersionView = Omit<TemplateVersionRecord, 'createdAt'> & { createdAt: string };

/**
 * Template versions in the database. Every version is pushed into the TemplateEngine as an
 * override (the newest wins over the file); all are loaded at boot, a post applies at once on
 * this instance, and other instances pick new rows up every TEMPLATES_REFRESH_SECONDS.
 */
@Injectable()
export class TemplateVersionsService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Templates');
  private loadedUntil = new Date(0);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: TemplateVersionsRepository,
    private readonly engine: TemplateEngine,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((e: Error) => this.log.warn(`template refresh failed: ${e.message}`));
    }, this.config.env.TEMPLATES_REFRESH_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Applies rows created since the last refresh (a little overlap: setOverride ignores older versions). */
  async refresh(): Promise<void> {
    const since = new Date(this.loadedUntil.getTime() - 5_000);
    const rows = await this.repo.createdSince(since);
    for (const row of rows) {
      try {
        this.apply(row);
      } catch (e) {
        this.log.warn(
          `template version ${row.key}/${row.channel}.${row.locale} v${row.version} skipped: ${(e as Error).message}`,
        );
      }
      if (row.createdAt > this.loadedUntil) this.loadedUntil = row.createdAt;
    }
  }

  /**
   * The purposes a new version states. A marketer writes only marketing templates: not a version
   * for another purpose, nor one of a key that is also sent for another (its body would go out
   * under that purpose too).
   */
  private purposesFor(input: TemplateVersionInput, author: Pick<AuthUser, 'role'> | null): Purpose[] {
    const current = this.engine.purposesOf(input.key);
    const purposes = input.purposes ?? current ?? [...DEFAULT_PURPOSES];
    if (author?.role !== 'marketer') return purposes;
    const other = (list: readonly Purpose[]) => list.filter((p) => p !== 'marketing');
    if (current && other(current).length)
      throw new DomainError(
        'forbidden',
        `key: template ${input.key} is also sent for ${other(current).join(', ')}; only an admin or a supervisor changes it`,
      );
    if (other(purposes).length)
      throw new DomainError(
        'forbidden',
        `purposes: a marketer writes templates for marketing only, not ${other(purposes).join(', ')}`,
      );
    return purposes;
  }

  async create(
    input: TemplateVersionInput,
    author: Pick<AuthUser, 'id' | 'role'> | null,
  ): Promise<TemplateVersionView> {
    const purposes = this.purposesFor(input, author);
    const id = `${input.key}/${input.channel}${input.variant ? `.${input.variant}` : ''}.${input.locale}`;
    try {
      this.engine.compileCheck(input.body, { template: id });
      if (input.subject) this.engine.compileCheck(input.subject, { template: `${id} (subject)` });
    } catch (e) {
      throw templateHttpError(e);
    }
    const row = await this.repo.appendVersion({
      key: input.key,
      channel: input.channel,
      locale: input.locale,
      variant: input.variant ?? null,
      subject: input.subject ?? null,
      body: input.body,
      purposes,
      createdBy: author?.id ?? null,
    });
    this.apply(row);
    return view(row);
  }

  async versions(key: string): Promise<TemplateVersionView[]> {
    return (await this.repo.ofKey(key)).map(view);
  }

  private apply(row: TemplateVersionRecord): void {
    this.engine.setOverride({
      key: row.key,
      channel: row.channel,
      locale: row.locale,
      variant: row.variant,
      ...(row.subject !== null ? { subject: row.subject } : {}),
      body: row.body,
      ...(row.purposes !== null ? { purposes: row.purposes } : {}),
      version: row.version,
    });
  }
}

function view(row: TemplateVersionRecord): TemplateVersionView {
  return { ...row, createdAt: row.createdAt.toISOString() };
}
