import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/transactions';

type Row = Record<string, unknown>;

export interface NewAuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntryRecord {
  id: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** The audit_log table: appended to, read per record. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Appends an entry; inside `tx` it commits or rolls back with what it records. */
  async insert(entry: NewAuditEntry, tx?: Tx): Promise<void> {
    await (tx ?? this.db).query(
      `INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details) VALUES ($1, $2, $3, $4, $5)`,
      [
        entry.actorId,
        entry.action,
        entry.entityType,
        entry.entityId,
        JSON.stringify(entry.details ?? {}),
      ],
    );
  }

  /** The newest 500 entries about one record, newest first. */
  async forEntity(entityType: string, entityId: string): Promise<AuditEntryRecord[]> {
    const rows = (await this.db.query(
      `SELECT id, actor_id AS "actorId", action, entity_type AS "entityType", entity_id AS "entityId", details, created_at AS "createdAt"
       FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY created_at DESC LIMIT 500`,
      [entityType, entityId],
    )) as Row[];
    return rows.map(auditEntry);
  }
}

function auditEntry(r: Row): AuditEntryRecord {
  return {
    id: r.id as string,
    actorId: (r.actorId as string | null) ?? null,
    action: r.action as string,
    entityType: r.entityType as string,
    entityId: (r.entityId as string | null) ?? null,
    details: r.details as Record<string, unknown>,
    createdAt: r.createdAt as Date,
  };
}
