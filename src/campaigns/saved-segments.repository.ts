import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import { SQLSTATE } from '../database/sql-errors';
import type { Segment } from './segment';

export interface SavedSegmentRecord {
  id: string;
  name: string;
  definition: Segment;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, name, definition, created_by AS "createdBy", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  return (err.driverError?.code ?? err.code) === SQLSTATE.uniqueViolation;
}

/** The saved_segments table: named contact filters. Names are unique regardless of case. */
@Injectable()
export class SavedSegmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Up to 500, by name. */
  async list(): Promise<SavedSegmentRecord[]> {
    return (await this.db.query(
      `SELECT ${COLUMNS} FROM saved_segments ORDER BY lower(name) LIMIT 500`,
    )) as SavedSegmentRecord[];
  }

  async find(id: string): Promise<SavedSegmentRecord | null> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM saved_segments WHERE id = $1`, [
      id,
    ])) as SavedSegmentRecord[];
    return rows[0] ?? null;
  }

  /** The new segment; 'name_taken' when another has that name. */
  async insert(
    name: string,
    definition: Segment,
    createdBy: string,
  ): Promise<SavedSegmentRecord | 'name_taken'> {
    try {
      const rows = (await this.db.query(
        `INSERT INTO saved_segments (name, definition, created_by) VALUES ($1, $2, $3)
         RETURNING ${COLUMNS}`,
        [name, JSON.stringify(definition), createdBy],
      )) as SavedSegmentRecord[];
      return rows[0];
    } catch (e) {
      if (isUniqueViolation(e)) return 'name_taken';
      throw e;
    }
  }

  /** The changed segment; 'missing' or 'name_taken'. */
  async update(
    id: string,
    change: { name?: string; definition?: Segment },
  ): Promise<SavedSegmentRecord | 'missing' | 'name_taken'> {
    try {
      const rows = returnedRows<SavedSegmentRecord>(
        await this.db.query(
          `UPDATE saved_segments SET name = COALESCE($2, name),
           definition = COALESCE($3::jsonb, definition), updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
          [id, change.name ?? null, change.definition ? JSON.stringify(change.definition) : null],
        ),
      );
      return rows[0] ?? 'missing';
    } catch (e) {
      if (isUniqueViolation(e)) return 'name_taken';
      throw e;
    }
  }

  async remove(id: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(`DELETE FROM saved_segments WHERE id = $1 RETURNING id`, [id]),
    );
    return rows.length > 0;
  }
}
