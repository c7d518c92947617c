import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Who did what to which record: merges, exports, erasures, consent changes by staff. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(
    entry: {
      actorId: string | null;
      action: string;
      entityType: string;
      entityId: string | null;
      details?: Record<string, unknown>;
    },
    manager: EntityManager = this.db.manager,
  ): Promise<void> {
    await manager.query(
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

  async list(entityType: string, entityId: string) {
    return (await this.db.query(
      `SELECT id, actor_id AS "actorId", action, entity_type AS "entityType", entity_id AS "entityId", details, created_at AS "createdAt"
       FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY created_at DESC LIMIT 500`,
      [entityType, entityId],
    )) as unknown[];
  }
}
