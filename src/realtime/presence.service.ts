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

  /** Agents online or away, with their names. */
  async list(): Promise<Array<{ agentId: string; name: string; status: PresenceStatus }>> {
    return (await this.db.query(
      `SELECT p.user_id AS "agentId", u.name, p.status FROM agent_presence p JOIN users u ON u.id = p.user_id
       WHERE p.status <> 'offline' AND u.active ORDER BY u.name`,
    )) as Array<{ agentId: string; name: string; status: PresenceStatus }>;
  }
}
