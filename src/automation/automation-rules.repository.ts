import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returnedRows } from '../database/returned-rows';
import type { Action, AutomationEvent, Condition } from './automation.schema';

type Row = Record<string, unknown>;

export interface AutomationRule {
  id: string;
  name: string;
  event: AutomationEvent;
  conditions: Condition[];
  actions: Action[];
  active: boolean;
  stopAfter: boolean;
  position: number;
  fireCount: number;
  lastFiredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RuleFields {
  name: string;
  event: AutomationEvent;
  conditions: Condition[];
  actions: Action[];
  active: boolean;
  stopAfter: boolean;
  position?: number;
}

const COLUMNS = `id, name, event, conditions, actions, active, stop_after AS "stopAfter", position,
  fire_count AS "fireCount", last_fired_at AS "lastFiredAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

const rule = (r: Row) => r as unknown as AutomationRule;

/** The automation_rules table, in their order (position, then age). */
@Injectable()
export class AutomationRulesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(): Promise<AutomationRule[]> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM automation_rules ORDER BY position, created_at, id`,
    )) as Row[];
    return rows.map(rule);
  }

  async get(id: string): Promise<AutomationRule | null> {
    const [r] = (await this.db.query(`SELECT ${COLUMNS} FROM automation_rules WHERE id = $1`, [
      id,
    ])) as Row[];
    return r ? rule(r) : null;
  }

  /** A new rule goes last unless given a position. */
  async insert(f: RuleFields, createdBy: string): Promise<AutomationRule> {
    const [r] = (await this.db.query(
      `INSERT INTO automation_rules (name, event, conditions, actions, active, stop_after, position, created_by)
       VALUES ($1, $2, $3, $4, $5, $6,
               COALESCE($7::int, (SELECT COALESCE(max(position) + 1, 0) FROM automation_rules)), $8)
       RETURNING ${COLUMNS}`,
      [
        f.name,
        f.event,
        JSON.stringify(f.conditions),
        JSON.stringify(f.actions),
        f.active,
        f.stopAfter,
        f.position ?? null,
        createdBy,
      ],
    )) as Row[];
    return rule(r);
  }

  async update(id: string, f: Partial<RuleFields>): Promise<AutomationRule | null> {
    const rows = returnedRows<Row>(
      await this.db.query(
        `UPDATE automation_rules SET
           name = COALESCE($2, name), event = COALESCE($3, event),
           conditions = COALESCE($4::jsonb, conditions), actions = COALESCE($5::jsonb, actions),
           active = COALESCE($6, active), stop_after = COALESCE($7, stop_after),
           position = COALESCE($8, position), updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          f.name ?? null,
          f.event ?? null,
          f.conditions ? JSON.stringify(f.conditions) : null,
          f.actions ? JSON.stringify(f.actions) : null,
          f.active ?? null,
          f.stopAfter ?? null,
          f.position ?? null,
        ],
      ),
    );
    return rows[0] ? rule(rows[0]) : null;
  }

  async remove(id: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(`DELETE FROM automation_rules WHERE id = $1 RETURNING id`, [id]),
    );
    return rows.length > 0;
  }

  async recordFiring(id: string): Promise<void> {
    await this.db.query(
      `UPDATE automation_rules SET fire_count = fire_count + 1, last_fired_at = now() WHERE id = $1`,
      [id],
    );
  }
}
