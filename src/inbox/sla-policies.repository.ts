import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Channel, Urgency } from '../common/names';

type Row = Record<string, unknown>;

/** An SLA policy: targets for conversations of a priority and channel (null: any). */
export interface SlaPolicyRecord {
  id: string;
  name: string;
  priority: Urgency | null;
  channel: Channel | null;
  firstResponseSeconds: number | null;
  resolutionSeconds: number | null;
}

export type NewSlaPolicy = Omit<SlaPolicyRecord, 'id'>;

const COLUMNS = `id, name, priority, channel, first_response_seconds AS "firstResponseSeconds", resolution_seconds AS "resolutionSeconds"`;

/** The sla_policies table as staff manage it (the SLA clock reads it in its own statements). */
@Injectable()
export class SlaPoliciesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every policy, oldest first. */
  async list(): Promise<SlaPolicyRecord[]> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM sla_policies ORDER BY created_at`,
    )) as Row[];
    return rows.map(slaPolicy);
  }

  async delete(id: string): Promise<boolean> {
    const result = (await this.db.query(`DELETE FROM sla_policies WHERE id = $1 RETURNING 1`, [
      id,
    ])) as unknown[];
    // TypeORM answers a DELETE ... RETURNING as [rows, affected] on PostgreSQL.
    const rows = result.length === 2 && Array.isArray(result[0]) ? result[0] : result;
    return rows.length > 0;
  }

  async insert(p: NewSlaPolicy): Promise<SlaPolicyRecord> {
    const rows = (await this.db.query(
      `INSERT INTO sla_policies (name, priority, channel, first_response_seconds, resolution_seconds) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${COLUMNS}`,
      [p.name, p.priority, p.channel, p.firstResponseSeconds, p.resolutionSeconds],
    )) as Row[];
    return slaPolicy(rows[0]);
  }
}

function slaPolicy(r: Row): SlaPolicyRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    priority: (r.priority as Urgency | null) ?? null,
    channel: (r.channel as Channel | null) ?? null,
    firstResponseSeconds: (r.firstResponseSeconds as number | null) ?? null,
    resolutionSeconds: (r.resolutionSeconds as number | null) ?? null,
  };
}
