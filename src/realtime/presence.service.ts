import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type PresenceStatus = 'online' | 'away' | 'offline';

/** Agent presence, shared by every instance through the database (assignment reads it). */
@Injectable()
export class PresenceService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async set(userId: string, status: PresenceStatus): Promise<void> {
    await this.db.query(
      `INSERT INTO agent_presence (user_id, status, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
      [userId, status],
    );
  }

  async list(): Promise<Array<{ agentId: string; status: PresenceStatus }>> {
    return (await this.db.query(`SELECT user_id AS "agentId", status FROM agent_presence WHERE status <> 'offline'`)) as Array<{
      agentId: string;
      status: PresenceStatus;
    }>;
  }
}
