import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { ConsentStatus } from '../common/names';
import type { Tx } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { ConsentRepository, type ConsentEntry, type ConsentRecord } from './consent.repository';

export type ConsentChange = ConsentEntry;
export type ConsentRow = ConsentRecord;

/** Latest status per channel and purpose: `${channel}:${purpose}` -> status. */
export type ConsentState = Map<string, ConsentStatus>;

/** The append-only consent ledger: every change is a new row with its source and evidence. */
@Injectable()
export class ConsentService {
  constructor(
    private readonly consents: ConsentRepository,
    private readonly events: DomainEvents,
  ) {}

  async record(change: ConsentChange, tx?: Tx): Promise<ConsentRow> {
    if (!(await this.consents.customerIsCurrent(change.customerId, tx)))
      throw new DomainError('not_found', `customer ${change.customerId} not found`);
    const row = await this.consents.append(change, tx);
    this.events.emit('consent.changed', {
      customerId: change.customerId,
      channel: change.channel,
      purpose: change.purpose,
      status: change.status,
      source: change.source,
    });
    return row;
  }

  async history(customerId: string): Promise<ConsentRow[]> {
    return this.consents.history(customerId);
  }

  async state(customerId: string, tx?: Tx): Promise<ConsentState> {
    const rows = await this.consents.latest(customerId, tx);
    return new Map(rows.map((r) => [`${r.channel}:${r.purpose}`, r.status]));
  }

  /** A merge's part of the ledger: the duplicate's consents, in order, onto the survivor. */
  async copyOnMerge(survivorId: string, duplicateId: string, tx: Tx): Promise<void> {
    await this.consents.copyOnto(survivorId, duplicateId, tx);
  }
}
