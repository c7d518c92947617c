import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returnedRows } from '../database/returned-rows';

type Row = Record<string, unknown>;

export interface CannedResponseRecord {
  id: string;
  shortCode: string;
  title: string | null;
  text: string;
  createdAt: Date;
}

export interface NewCannedResponse {
  shortCode: string;
  title: string | null;
  text: string;
  createdBy: string;
}

const COLUMNS = `id, short_code AS "shortCode", title, text, created_at AS "createdAt"`;

/** The canned_responses table. */
@Injectable()
export class CannedResponsesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The first 500 by short code. */
  async list(): Promise<CannedResponseRecord[]> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM canned_responses ORDER BY short_code LIMIT 500`,
    )) as Row[];
    return rows.map(cannedResponse);
  }

  /** The changed response; 'missing' when there is none, 'code_taken' when the short code is another's. */
  async update(
    id: string,
    c: { shortCode?: string; title?: string | null; text?: string },
  ): Promise<CannedResponseRecord | 'missing' | 'code_taken'> {
    const rows = returnedRows(
      await this.db.query(
        `UPDATE canned_responses c SET
           short_code = COALESCE($2, c.short_code),
           title = CASE WHEN $3::boolean THEN $4 ELSE c.title END,
           text = COALESCE($5, c.text)
         WHERE c.id = $1
           AND NOT EXISTS (SELECT 1 FROM canned_responses o WHERE o.short_code = $2 AND o.id <> $1)
         RETURNING ${COLUMNS}`,
        [id, c.shortCode ?? null, c.title !== undefined, c.title ?? null, c.text ?? null],
      ),
    );
    if (rows[0]) return cannedResponse(rows[0]);
    const found = (await this.db.query(`SELECT 1 FROM canned_responses WHERE id = $1`, [
      id,
    ])) as Row[];
    return found.length ? 'code_taken' : 'missing';
  }

  async delete(id: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(`DELETE FROM canned_responses WHERE id = $1 RETURNING 1`, [id]),
    );
    return rows.length > 0;
  }

  /** The new response, or null when its short code is taken. */
  async insert(c: NewCannedResponse): Promise<CannedResponseRecord | null> {
    const rows = (await this.db.query(
      `INSERT INTO canned_responses (short_code, title, text, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (short_code) DO NOTHING RETURNING ${COLUMNS}`,
      [c.shortCode, c.title, c.text, c.createdBy],
    )) as Row[];
    return rows[0] ? cannedResponse(rows[0]) : null;
  }
}

/** TypeORM answers an UPDATE/DELETE ... RETURNING as [rows, affected] on PostgreSQL. */

function cannedResponse(r: Row): CannedResponseRecord {
  return {
    id: r.id as string,
    shortCode: r.shortCode as string,
    title: (r.title as string | null) ?? null,
    text: r.text as string,
    createdAt: r.createdAt as Date,
  };
}
