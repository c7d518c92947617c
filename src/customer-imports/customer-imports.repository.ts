import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

export type ImportStatus = 'running' | 'completed' | 'failed' | 'interrupted';

/** One browser import and its counts as the server goes through the file. */
export interface CustomerImport {
  id: string;
  filename: string;
  bytes: number;
  status: ImportStatus;
  columns: string[];
  totalRows: number;
  processed: number;
  created: number;
  duplicates: number;
  rejected: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ImportCounts {
  processed: number;
  created: number;
  duplicates: number;
  rejected: number;
}

export interface StoredRejection {
  line: number;
  reasons: string[];
  duplicate: boolean;
  cells: Record<string, string>;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

function toImport(r: Row): CustomerImport {
  return {
    id: r.id as string,
    filename: r.filename as string,
    bytes: Number(r.bytes),
    status: r.status as ImportStatus,
    columns: r.columns as string[],
    totalRows: Number(r.total_rows),
    processed: Number(r.processed),
    created: Number(r.created),
    duplicates: Number(r.duplicates),
    rejected: Number(r.rejected),
    error: (r.error as string | null) ?? null,
    startedAt: iso(r.started_at) as string,
    finishedAt: iso(r.finished_at),
  };
}

/** customer_imports and customer_import_rejections. */
@Injectable()
export class CustomerImportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(input: {
    createdBy: string;
    filename: string;
    bytes: number;
    columns: string[];
    totalRows: number;
  }): Promise<CustomerImport> {
    const rows = (await this.db.query(
      `INSERT INTO customer_imports (created_by, filename, bytes, columns, total_rows)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [input.createdBy, input.filename, input.bytes, input.columns, input.totalRows],
    )) as Row[];
    return toImport(rows[0]);
  }

  async get(id: string): Promise<CustomerImport | null> {
    const rows = (await this.db.query(`SELECT * FROM customer_imports WHERE id = $1`, [
      id,
    ])) as Row[];
    return rows[0] ? toImport(rows[0]) : null;
  }

  /** Counts so far (a running import only: one marked interrupted is left as it is). */
  async progress(id: string, c: ImportCounts): Promise<void> {
    await this.db.query(
      `UPDATE customer_imports SET processed = $2, created = $3, duplicates = $4, rejected = $5,
         heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
      [id, c.processed, c.created, c.duplicates, c.rejected],
    );
  }

  async heartbeat(id: string): Promise<void> {
    await this.db.query(
      `UPDATE customer_imports SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
      [id],
    );
  }

  async finish(id: string, status: ImportStatus, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE customer_imports SET status = $2, error = $3, finished_at = now(), heartbeat_at = now()
       WHERE id = $1 AND status = 'running'`,
      [id, status, error],
    );
  }

  /** Running imports whose heartbeat is older than `staleMs` (their process died): interrupted. */
  async markStale(staleMs: number, onlyId?: string): Promise<number> {
    const rows = (await this.db.query(
      `UPDATE customer_imports SET status = 'interrupted', finished_at = now(),
         error = 'the hub stopped while importing; rows after the last processed one were not read'
       WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)
         AND ($2::uuid IS NULL OR id = $2::uuid)
       RETURNING id`,
      [staleMs, onlyId ?? null],
    )) as Row[];
    return rows.length;
  }

  /** Imports this process was running when it stopped. */
  async markInterrupted(ids: string[], error: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE customer_imports SET status = 'interrupted', finished_at = now(), error = $2
       WHERE id = ANY($1::uuid[]) AND status = 'running'`,
      [ids, error],
    );
  }

  async addRejection(id: string, r: StoredRejection): Promise<void> {
    await this.db.query(
      `INSERT INTO customer_import_rejections (import_id, line, reasons, duplicate, cells)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [id, r.line, r.reasons, r.duplicate, JSON.stringify(r.cells)],
    );
  }

  /** Rejected rows in file order, from `afterLine` on, at most `limit`. */
  async rejections(id: string, limit: number, afterLine = 0): Promise<StoredRejection[]> {
    const rows = (await this.db.query(
      `SELECT line, reasons, duplicate, cells FROM customer_import_rejections
       WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3`,
      [id, afterLine, limit],
    )) as Row[];
    return rows.map((r) => ({
      line: Number(r.line),
      reasons: r.reasons as string[],
      duplicate: r.duplicate as boolean,
      cells: r.cells as Record<string, string>,
    }));
  }
}
