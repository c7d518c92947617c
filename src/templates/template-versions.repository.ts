import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Channel, Purpose } from '../common/names';
import { isUniqueViolation } from '../database/sql-errors';

type Row = Record<string, unknown>;

/** Settles two concurrent posts of one template that read the same newest version. */
const UNIQUE_VERSION = 'template_versions_unique';
/** One published version per slot: settles two concurrent publications of one slot. */
const ONE_PUBLISHED = 'template_versions_one_published';
/** Retries after losing such a race, before the conflict reaches the caller. */
const VERSION_RETRIES = 3;

/** draft: written, not sent; published: the one sent for its slot; archived: published before. */
export const TEMPLATE_VERSION_STATES = ['draft', 'published', 'archived'] as const;
export type TemplateVersionState = (typeof TEMPLATE_VERSION_STATES)[number];

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
  state: TemplateVersionState;
  createdBy: string | null;
  createdAt: Date;
  /** When it became what it is (published: orders publications, a rollback included). */
  stateChangedAt: Date;
}

export type NewTemplateVersion = Omit<
  TemplateVersionRecord,
  'id' | 'version' | 'createdAt' | 'purposes' | 'state' | 'stateChangedAt'
> & { purposes: Purpose[]; state: 'draft' | 'published' };

/** The template_versions table: versions appended per key, channel, locale and variant. */
@Injectable()
export class TemplateVersionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Versions published (or re-published) at or after `since`, in the order they were. */
  async publishedSince(since: Date): Promise<TemplateVersionRecord[]> {
    const rows = (await this.db.query(
      `SELECT * FROM template_versions WHERE state = 'published' AND state_changed_at >= $1
       ORDER BY state_changed_at, version`,
      [since],
    )) as Row[];
    return rows.map(templateVersion);
  }

  async find(id: string): Promise<TemplateVersionRecord | null> {
    const rows = (await this.db.query(`SELECT * FROM template_versions WHERE id = $1`, [
      id,
    ])) as Row[];
    return rows[0] ? templateVersion(rows[0]) : null;
  }

  /**
   * Publishes the version if it is still in state `from`: the slot's published version becomes
   * archived in the same transaction. Null: no such version in that state.
   */
  async publish(id: string, from: TemplateVersionState): Promise<TemplateVersionRecord | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          const rows = (await tx.query(
            `SELECT * FROM template_versions WHERE id = $1 AND state = $2 FOR UPDATE`,
            [id, from],
          )) as Row[];
          if (!rows[0]) return null;
          const r = rows[0];
          await archivePublished(tx, r.key, r.channel, r.locale, r.variant);
          const updated = (await tx.query(
            `UPDATE template_versions SET state = 'published', state_changed_at = clock_timestamp()
             WHERE id = $1 RETURNING *`,
            [id],
          )) as [Row[], number];
          return templateVersion(updated[0][0]);
        });
      } catch (e) {
        if (attempt < VERSION_RETRIES && isUniqueViolation(e, ONE_PUBLISHED)) continue;
        throw e;
      }
    }
  }

  /**
   * Appends the next version of the template. The number comes from the rows lock-free: the
   * unique constraint settles a race, and the loser retries with the number after the winner's.
   */
  async appendVersion(v: NewTemplateVersion): Promise<TemplateVersionRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          if (v.state === 'published')
            await archivePublished(tx, v.key, v.channel, v.locale, v.variant ?? '');
          const rows = (await tx.query(
            `INSERT INTO template_versions
               (key, channel, locale, variant, subject, body, version, created_by, purposes, state, state_changed_at)
             SELECT $1, $2, $3, $4, $5, $6, COALESCE(max(version), 0) + 1, $7, $8::text[], $9, clock_timestamp()
             FROM template_versions
             WHERE key = $1 AND channel = $2 AND locale = $3 AND variant = $4
             RETURNING *`,
            [
              v.key,
              v.channel,
              v.locale,
              v.variant ?? '',
              v.subject,
              v.body,
              v.createdBy,
              v.purposes,
              v.state,
            ],
          )) as Row[];
          return templateVersion(rows[0]);
        });
      } catch (e) {
        if (
          attempt < VERSION_RETRIES &&
          (isUniqueViolation(e, UNIQUE_VERSION) || isUniqueViolation(e, ONE_PUBLISHED))
        )
          continue;
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

/** The slot's published version (if any) becomes archived. */
async function archivePublished(
  tx: EntityManager,
  key: unknown,
  channel: unknown,
  locale: unknown,
  variant: unknown,
): Promise<void> {
  await tx.query(
    `UPDATE template_versions SET state = 'archived', state_changed_at = clock_timestamp()
     WHERE key = $1 AND channel = $2 AND locale = $3 AND variant = $4 AND state = 'published'`,
    [key, channel, locale, variant],
  );
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
    state: r.state as TemplateVersionState,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: new Date(r.created_at as Date),
    stateChangedAt: new Date(r.state_changed_at as Date),
  };
}
