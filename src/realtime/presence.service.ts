import { Injectable } from '@nestjs/common';
import { PresenceRepository, type AgentPresence, type PresenceStatus } from './presence.repository';

export type { PresenceStatus } from './presence.repository';

/** Agent presence, shared by every instance through the database (assignment reads it). */
@Injectable()
export class PresenceService {
  constructor(private readonly repo: PresenceRepository) {}

  set(userId: string, status: PresenceStatus): Promise<void> {
    return this.repo.upsert(userId, status);
  }

  /** Agents online or away, with their names. */
  list(): Promise<AgentPresence[]> {
    return this.repo.available();
  }
}
