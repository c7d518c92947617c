import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/transactions';

type Row = Record<string, unknown>;

export type PreferenceField = 'matrix' | 'quietHours' | 'timezone';

/** A change appended to the preference ledger. */
export interface PreferenceChangeEntry {
  customerId: string;
  field: PreferenceField;
  before: unknown;
  after: unknown;
  source: string;
  evidence?: Record<string, unknown> | null;
  actorId?: string | null;
}

export interface PreferenceChangeRecord {
  id: string;
  field: PreferenceField;
  before: unknown;
  after: unknown;
  source: string;
  evidence: Record<string, unknown> | null;
  actorId: string | null;
  createdAt: string;
}

/** The append-only preference ledger (preference_changes). */
@Injectable()
export class PreferenceChangesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(entry: PreferenceChangeEntry, tx?: Tx): Promise<void> {
    await (tx ?? this.db).query(
      `INSERT INTO preference_changes (customer_id, field, before, after, source, evidence, actor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.customerId,
        entry.field,
        JSON.stringify(entry.before ?? null),
        JSON.stringify(entry.after ?? null),
        entry.source,
        entry.evidence ? JSON.stringify(entry.evidence) : null,
        entry.actorId ?? null,
      ],
    );
  }

  /** The customer's ledger, newest first. */
  async history(customerId: string): Promise<PreferenceChangeRecord[]> {
    const rows = (await this.db.query(
      `SELECT id, field, before, after, source, evidence, actor_id AS "actorId", created_at AS "createdAt"
       FROM preference_changes WHERE customer_id = $1 ORDER BY seq DESC`,
      [customerId],
    )) as Row[];
    return rows.map((r) => ({
      id: r.id as string,
      field: r.field as PreferenceField,
      before: r.before,
      after: r.after,
      source: r.source as string,
      evidence: (r.evidence as Record<string, unknown> | null) ?? null,
      actorId: (r.actorId as string | null) ?? null,
      createdAt: new Date(r.createdAt as string).toISOString(),
    }));
  }
}
