import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError, notFound } from '../common/errors/domain-error';
import type { Channel, Purpose } from '../common/names';
import { DEFAULT_PURPOSES } from './purposes';
import { TemplateEngine } from './template-engine';
import { templateHttpError } from './template-http-errors';
import {
  TemplateVersionsRepository,
  type TemplateVersionRecord,
  type TemplateVersionState,
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

/** A version as the API shows it: the record with its times as ISO text. */
export type TemplateVersionView = Omit<TemplateVersionRecord, 'createdAt' | 'stateChangedAt'> & {
  createdAt: string;
  stateChangedAt: string;
};

/**
 * Template versions in the database. A draft is only stored; the published version of each slot
 * (key, channel, locale, variant) is pushed into the TemplateEngine as an override (it wins over
 * the file), so sends use published versions only. All are loaded at boot, a publication applies
 * at once on this instance, and other instances pick them up every TEMPLATES_REFRESH_SECONDS.
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

  /** Applies versions published since the last refresh (a little overlap: setOverride ignores older publications). */
  async refresh(): Promise<void> {
    const since = new Date(this.loadedUntil.getTime() - 5_000);
    const rows = await this.repo.publishedSince(since);
    for (const row of rows) {
      try {
        this.apply(row);
      } catch (e) {
        this.log.warn(
          `template version ${row.key}/${row.channel}.${row.locale} v${row.version} skipped: ${(e as Error).message}`,
        );
      }
      if (row.stateChangedAt > this.loadedUntil) this.loadedUntil = row.stateChangedAt;
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

  /** A new version: published at once (POST /api/v1/templates, API.md), or a draft. */
  async create(
    input: TemplateVersionInput,
    author: Pick<AuthUser, 'id' | 'role'> | null,
    state: 'draft' | 'published' = 'published',
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
      state,
    });
    if (row.state === 'published') this.apply(row);
    return view(row);
  }

  async versions(key: string): Promise<TemplateVersionView[]> {
    return (await this.repo.ofKey(key)).map(view);
  }

  /**
   * Publishes a draft (`from` draft) or re-publishes an earlier version (`from` archived, a
   * rollback); the slot's published version becomes archived. The publisher must be allowed to
   * write the version's purposes, as its author was.
   */
  async publish(
    key: string,
    id: string,
    from: Exclude<TemplateVersionState, 'published'>,
    publisher: Pick<AuthUser, 'id' | 'role'> | null,
  ): Promise<TemplateVersionView> {
    const found = await this.repo.find(id);
    if (found === null || found.key !== key) throw notFound('template version', id);
    if (found.state !== from) throw wrongState(found, from);
    this.purposesFor(
      {
        key,
        channel: found.channel,
        locale: found.locale,
        body: found.body,
        ...(found.purposes !== null ? { purposes: found.purposes } : {}),
      },
      publisher,
    );
    const row = await this.repo.publish(id, from);
    if (row === null) {
      const now = await this.repo.find(id);
      throw wrongState(now ?? found, from);
    }
    this.apply(row);
    return view(row);
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
      publishedAt: row.stateChangedAt.getTime(),
    });
  }
}

function wrongState(row: TemplateVersionRecord, wanted: TemplateVersionState): DomainError {
  const rule =
    wanted === 'draft'
      ? 'only a draft can be published'
      : 'only an archived (earlier published) version can be rolled back to';
  return new DomainError('conflict', `state: version ${row.version} is ${row.state}; ${rule}`, {
    state: row.state,
  });
}

function view(row: TemplateVersionRecord): TemplateVersionView {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    stateChangedAt: row.stateChangedAt.toISOString(),
  };
}
