import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Channel, Purpose } from '../common/names';
import { isUniqueViolation } from '../database/sql-errors';

type Row = Record<string, unknown>;

/** Settles two concurrent posts of one template that read the same newest version. */
const UNIQUE_VERSION = 'template_versions_unique';
/** Retries after losing such a race, before the conflict reaches the caller. */
const VERSION_RETRIES = 3;

export interface TemplateVersionRecord {
  id: string;
  key: string;
  channel: Channel;
  locale: string;
  /** Null for the template without a variant (stored as ''). */
  variant: string | null;
  subject: string | null;
  body: string;
  purposes: Purpose[] | null;
  version: number;
  createdBy: string | null;
  createdAt: Date;
}

export type NewTemplateVersion = Omit<
  TemplateVersionRecord,
  'id' | 'version' | 'createdAt' | 'purposes'
> & { purposes: Purpose[] };

/** The template_versions table: versions appended per key, channel, locale and variant. */
@Injectable()
export class TemplateVersionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Versions created at or after `since`, oldest version first. */
  async createdSince(since: Date): Promise<TemplateVersionRecord[]> {
    const rows = (await this.db.query(
      `SELECT * FROM template_versions WHERE created_at >= $1 ORDER BY version`,
      [since],
    )) as Row[];
    return rows.map(templateVersion);
  }

  /**
   * Appends the next version of the template. The number comes from the rows lock-free: the
   * unique constraint settles a race, and the loser retries with the number after the winner's.
   */
  async appendVersion(v: NewTemplateVersion): Promise<TemplateVersionRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        const rows = (await this.db.query(
          `INSERT INTO template_versions (key, channel, locale, variant, subject, body, version, created_by, purposes)
           SELECT $1, $2, $3, $4, $5, $6, COALESCE(max(version), 0) + 1, $7, $8::text[] FROM template_versions
           WHERE key = $1 AND channel = $2 AND locale = $3 AND variant = $4
           RETURNING *`,
          [v.key, v.channel, v.locale, v.variant ?? '', v.subject, v.body, v.createdBy, v.purposes],
        )) as Row[];
        return templateVersion(rows[0]);
      } catch (e) {
        if (attempt < VERSION_RETRIES && isUniqueViolation(e, UNIQUE_VERSION)) continue;
        throw e;
      }
    }
  }

  /** Every version of a key, by channel, locale and variant, newest version first. */
  async ofKey(key: string): Promise<TemplateVersionRecord[]> {
    const rows = (await this.db.query(
      `SELECT * FROM template_versions WHERE key = $1 ORDER BY channel, locale, variant, version DESC`,
      [key],
    )) as Row[];
    return rows.map(templateVersion);
  }
}

function templateVersion(r: Row): TemplateVersionRecord {
  return {
    id: r.id as string,
    key: r.key as string,
    channel: r.channel as Channel,
    locale: r.locale as string,
    variant: r.variant === '' ? null : (r.variant as string),
    subject: (r.subject as string | null) ?? null,
    body: r.body as string,
    purposes: (r.purposes as Purpose[] | null) ?? null,
    version: r.version as number,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: new Date(r.created_at as Date),
  };
}
