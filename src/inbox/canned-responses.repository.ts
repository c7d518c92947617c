import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

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

function cannedResponse(r: Row): CannedResponseRecord {
  return {
    id: r.id as string,
    shortCode: r.shortCode as string,
    title: (r.title as string | null) ?? null,
    text: r.text as string,
    createdAt: r.createdAt as Date,
  };
}
