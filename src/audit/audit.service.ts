import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/transactions';
import { AuditRepository, type AuditEntryRecord, type NewAuditEntry } from './audit.repository';

/** Who did what to which record: merges, exports, erasures, consent changes by staff. */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  /** Records an entry; pass the caller's transaction to make it part of the change it records. */
  record(entry: NewAuditEntry, tx?: Tx): Promise<void> {
    return this.repo.insert(entry, tx);
  }

  list(entityType: string, entityId: string): Promise<AuditEntryRecord[]> {
    return this.repo.forEntity(entityType, entityId);
  }
}
