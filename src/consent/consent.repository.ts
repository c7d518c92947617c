import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Channel, ConsentStatus, Purpose } from '../common/names';
import type { Tx } from '../database/transactions';

type Row = Record<string, unknown>;

/** A change appended to the ledger. */
export interface ConsentEntry {
  customerId: string;
  channel: Channel;
  purpose: Purpose;
  status: ConsentStatus;
  source: string;
  evidence?: Record<string, unknown> | null;
  actorId?: string | null;
}

/** A row of the ledger, as the API shows it. */
export interface ConsentRecord {
  id: string;
  channel: Channel;
  purpose: Purpose;
  status: ConsentStatus;
  source: string;
  evidence: Record<string, unknown> | null;
  actorId: string | null;
  createdAt: string;
}

/** The latest status of one channel and purpose. */
export interface LatestConsent {
  channel: string;
  purpose: string;
  status: ConsentStatus;
}

/** The append-only consent ledger (consents). */
@Injectable()
export class ConsentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether consent can be recorded for the customer: it exists, neither erased nor merged. */
  async customerIsCurrent(customerId: string, tx?: Tx): Promise<boolean> {
    const exists = (await (tx ?? this.db).query(
      `SELECT 1 FROM customers WHERE id = $1 AND erased_at IS NULL AND merged_into_id IS NULL`,
      [customerId],
    )) as unknown[];
    return exists.length > 0;
  }

  async append(entry: ConsentEntry, tx?: Tx): Promise<ConsentRecord> {
    const rows = (await (tx ?? this.db).query(
      `INSERT INTO consents (customer_id, channel, purpose, status, source, evidence, actor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, channel, purpose, status, source, evidence, actor_id AS "actorId", created_at AS "createdAt"`,
      [
        entry.customerId,
        entry.channel,
        entry.purpose,
        entry.status,
        entry.source,
        entry.evidence ? JSON.stringify(entry.evidence) : null,
        entry.actorId ?? null,
      ],
    )) as Row[];
    return consentRecord(rows[0]);
  }

  /** The customer's ledger, newest first. */
  async history(customerId: string): Promise<ConsentRecord[]> {
    const rows = (await this.db.query(
      `SELECT id, channel, purpose, status, source, evidence, actor_id AS "actorId", created_at AS "createdAt"
       FROM consents WHERE customer_id = $1 ORDER BY seq DESC`,
      [customerId],
    )) as Row[];
    return rows.map(consentRecord);
  }

  /** The latest status per channel and purpose. */
  async latest(customerId: string, tx?: Tx): Promise<LatestConsent[]> {
    return (await (tx ?? this.db).query(
      `SELECT DISTINCT ON (channel, purpose) channel, purpose, status FROM consents
       WHERE customer_id = $1 ORDER BY channel, purpose, seq DESC`,
      [customerId],
    )) as LatestConsent[];
  }

  /**
   * A merge: the duplicate's ledger appended to the survivor's in its order, each row's evidence
   * noting where it came from.
   */
  async copyOnto(survivorId: string, duplicateId: string, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO consents (customer_id, channel, purpose, status, source, evidence, actor_id, created_at)
         SELECT $1::uuid, channel, purpose, status, source, COALESCE(evidence, '{}') || jsonb_build_object('mergedFrom', $2::text), actor_id, created_at
         FROM consents WHERE customer_id = $2::uuid ORDER BY seq`,
      [survivorId, duplicateId],
    );
  }
}

function consentRecord(r: Row): ConsentRecord {
  return {
    id: r.id as string,
    channel: r.channel as Channel,
    purpose: r.purpose as Purpose,
    status: r.status as ConsentStatus,
    source: r.source as string,
    evidence: (r.evidence as Record<string, unknown> | null) ?? null,
    actorId: (r.actorId as string | null) ?? null,
    createdAt: r.createdAt as string,
  };
}
