import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import type { Action } from './automation.schema';

type Row = Record<string, unknown>;

export interface Macro {
  id: string;
  name: string;
  actions: Action[];
  shared: boolean;
  ownerId: string;
  ownerName: string | null;
  createdAt: Date;
}

const COLUMNS = `m.id, m.name, m.actions, m.shared, m.owner_id AS "ownerId",
  (SELECT u.name FROM users u WHERE u.id = m.owner_id) AS "ownerName", m.created_at AS "createdAt"`;

/** The macros table: shared ones, and personal ones seen only by their owner. */
@Injectable()
export class MacrosRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Shared macros and the user's own, by name. */
  async visibleTo(userId: string): Promise<Macro[]> {
    return (await this.db.query(
      `SELECT ${COLUMNS} FROM macros m WHERE m.shared OR m.owner_id = $1 ORDER BY m.name, m.id`,
      [userId],
    )) as Macro[];
  }

  async get(id: string): Promise<Macro | null> {
    const [r] = (await this.db.query(`SELECT ${COLUMNS} FROM macros m WHERE m.id = $1`, [
      id,
    ])) as Macro[];
    return r ?? null;
  }

  async insert(f: { name: string; actions: Action[]; shared: boolean }, ownerId: string) {
    const [r] = (await this.db.query(
      `INSERT INTO macros (name, actions, shared, owner_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [f.name, JSON.stringify(f.actions), f.shared, ownerId],
    )) as Row[];
    return (await this.get(r.id as string))!;
  }

  async update(id: string, f: { name?: string; actions?: Action[]; shared?: boolean }) {
    await this.db.query(
      `UPDATE macros SET name = COALESCE($2, name), actions = COALESCE($3::jsonb, actions),
         shared = COALESCE($4, shared), updated_at = now() WHERE id = $1`,
      [id, f.name ?? null, f.actions ? JSON.stringify(f.actions) : null, f.shared ?? null],
    );
    return this.get(id);
  }

  async remove(id: string): Promise<boolean> {
    return (
      returnedRows(await this.db.query(`DELETE FROM macros WHERE id = $1 RETURNING id`, [id]))
        .length > 0
    );
  }
}
