import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Channel, ConsentStatus, Purpose } from '../common/names';
import { DomainEvents } from '../events/domain-events';

export interface ConsentChange {
  customerId: string;
  channel: Channel;
  purpose: Purpose;
  status: ConsentStatus;
  source: string;
  evidence?: Record<string, unknown> | null;
  actorId?: string | null;
}

export interface ConsentRow {
  id: string;
  channel: Channel;
  purpose: Purpose;
  status: ConsentStatus;
  source: string;
  evidence: Record<string, unknown> | null;
  actorId: string | null;
  createdAt: string;
}

/** Latest status per channel and purpose: `${channel}:${purpose}` -> status. */
export type ConsentState = Map<string, ConsentStatus>;

/** The append-only consent ledger: every change is a new row with its source and evidence. */
@Injectable()
export class ConsentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async record(change: ConsentChange, m: EntityManager = this.db.manager): Promise<ConsentRow> {
    const exists = (await m.query(
      `SELECT 1 FROM customers WHERE id = $1 AND erased_at IS NULL AND merged_into_id IS NULL`,
      [change.customerId],
    )) as unknown[];
    if (!exists.length)
      throw new DomainError('not_found', `customer ${change.customerId} not found`);
    const rows = (await m.query(
      `INSERT INTO consents (customer_id, channel, purpose, status, source, evidence, actor_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, channel, purpose, status, source, evidence, actor_id AS "actorId", created_at AS "createdAt"`,
      [
        change.customerId,
        change.channel,
        change.purpose,
        change.status,
        change.source,
        change.evidence ? JSON.stringify(change.evidence) : null,
        change.actorId ?? null,
      ],
    )) as ConsentRow[];
    this.events.emit('consent.changed', {
      customerId: change.customerId,
      channel: change.channel,
      purpose: change.purpose,
      status: change.status,
      source: change.source,
    });
    return rows[0];
  }

  async history(customerId: string): Promise<ConsentRow[]> {
    return (await this.db.query(
      `SELECT id, channel, purpose, status, source, evidence, actor_id AS "actorId", created_at AS "createdAt"
       FROM consents WHERE customer_id = $1 ORDER BY seq DESC`,
      [customerId],
    )) as ConsentRow[];
  }

  async state(customerId: string, m: EntityManager = this.db.manager): Promise<ConsentState> {
    const rows = (await m.query(
      `SELECT DISTINCT ON (channel, purpose) channel, purpose, status FROM consents
       WHERE customer_id = $1 ORDER BY channel, purpose, seq DESC`,
      [customerId],
    )) as Array<{ channel: string; purpose: string; status: ConsentStatus }>;
    return new Map(rows.map((r) => [`${r.channel}:${r.purpose}`, r.status]));
  }
}
