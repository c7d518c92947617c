import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { CHANNELS, channelsOfKind, type Channel } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import { Transactions, type Tx } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { normalizeAddress } from './address';
import type { CreateCustomerInput, UpdateCustomerInput } from './customer.dto';
import { CustomerMergeRepository } from './customer-merge.repository';
import {
  CustomersRepository,
  type CustomerRecord,
  type IdentityRecord,
  type NewIdentity,
} from './customers.repository';

export interface IdentityView {
  channel: string;
  address: string;
  kind: string;
  channels: Channel[];
  status: string;
  statusReason: string | null;
}

/** A customer as the API shows it: the record with its identities and its times as ISO text. */
export type CustomerView = Omit<
  CustomerRecord,
  'lastContactAt' | 'createdAt' | 'updatedAt' | 'mergedIntoId' | 'erasedAt'
> & {
  identities: IdentityView[];
  lastContactAt: string | null;
  createdAt: string;
  updatedAt: string;
};

@Injectable()
export class CustomersService {
  constructor(
    private readonly customers: CustomersRepository,
    private readonly merges: CustomerMergeRepository,
    private readonly transactions: Transactions,
    private readonly consents: ConsentService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  async create(input: CreateCustomerInput): Promise<CustomerView> {
    const ids = input.identities.map((i, n) => ({
      channel: i.channel,
      ...normalizeAddress(i.channel, i.address, `identities.${n}.address`),
    }));
    const id = await this.transactions.run(async (tx) => {
      const customerId = await this.customers.insert(
        {
          displayName: input.displayName,
          locale: input.locale ?? 'en',
          timezone: input.timezone ?? 'UTC',
          attributes: input.attributes ?? {},
          tags: input.tags ?? [],
          tier: input.tier ?? null,
        },
        tx,
      );
      await this.addIdentities(tx, customerId, ids);
      return customerId;
    });
    return this.get(id);
  }

  private async addIdentities(tx: Tx, customerId: string, ids: NewIdentity[]) {
    for (const [n, i] of ids.entries()) {
      if (await this.customers.addIdentity(customerId, i, tx)) continue;
      const owner = (await this.customers.ownerOf(i.kind, i.address, tx)) ?? undefined;
      if (owner !== customerId) {
        throw new DomainError(
          'conflict',
          `identities.${n}: ${i.channel}:${i.address} already belongs to customer ${String(owner)}`,
          {
            customerId: owner,
          },
        );
      }
    }
  }

  async get(id: string, tx?: Tx): Promise<CustomerView> {
    const c = await this.customers.find(id, tx);
    if (!c || c.erasedAt) throw new DomainError('not_found', `customer ${id} not found`);
    if (c.mergedIntoId) {
      throw new DomainError('not_found', `customer ${id} was merged into ${c.mergedIntoId}`, {
        mergedIntoId: c.mergedIntoId,
      });
    }
    return view(c, await this.customers.identitiesOf(id, tx));
  }

  async update(id: string, patch: UpdateCustomerInput): Promise<CustomerView> {
    await this.get(id);
    const ids = patch.identities?.map((i, n) => ({
      channel: i.channel,
      ...normalizeAddress(i.channel, i.address, `identities.${n}.address`),
    }));
    await this.transactions.run(async (tx) => {
      await this.customers.update(
        id,
        {
          displayName: patch.displayName,
          locale: patch.locale,
          timezone: patch.timezone,
          attributes: patch.attributes,
          tags: patch.tags,
          tier: patch.tier,
        },
        tx,
      );
      if (ids) await this.addIdentities(tx, id, ids);
    });
    return this.get(id);
  }

  /** `identity` is `<channel>:<address>`; the address is normalized before the lookup. */
  async lookup(identity: string): Promise<CustomerView> {
    const at = identity.indexOf(':');
    const channel = identity.slice(0, at) as Channel;
    if (at < 0 || !CHANNELS.includes(channel)) {
      throw new DomainError(
        'bad_request',
        `identity: must be <channel>:<address> with channel one of ${CHANNELS.join(', ')}`,
      );
    }
    const { kind, address } = normalizeAddress(channel, identity.slice(at + 1), 'identity');
    const customerId = await this.customers.ownerOf(kind, address);
    if (!customerId)
      throw new DomainError('not_found', `no customer with identity ${channel}:${address}`);
    return this.get(customerId);
  }

  /** Moves identities, timeline, conversations and consents of `duplicateId` onto `survivorId`. */
  async merge(
    survivorId: string,
    duplicateId: string,
    actorId: string | null,
  ): Promise<CustomerView> {
    if (survivorId === duplicateId)
      throw new DomainError('bad_request', 'duplicateId: cannot merge a customer into itself');
    await this.transactions.run(async (tx) => {
      // Lock both rows in a fixed order so concurrent merges cannot deadlock.
      const locked = await this.merges.lock([survivorId, duplicateId], tx);
      for (const [id, field] of [
        [survivorId, 'id'],
        [duplicateId, 'duplicateId'],
      ] as const) {
        const r = locked.find((x) => x.id === id);
        if (!r || r.erased || r.mergedIntoId)
          throw new DomainError('not_found', `${field}: customer ${id} not found`);
      }
      await this.merges.moveIdentities(survivorId, duplicateId, tx);
      const active = await this.merges.activeConversation(survivorId, tx);
      const dupActive = await this.merges.activeConversation(duplicateId, tx);
      // One active episode per customer: the duplicate's open conversation folds into the survivor's.
      if (active && dupActive) await this.merges.foldConversation(active, dupActive, tx);
      await this.merges.moveTimeline(survivorId, duplicateId, tx);
      await this.consents.copyOnMerge(survivorId, duplicateId, tx);
      await this.merges.combineAndRetire(survivorId, duplicateId, tx);
      await this.audit.record(
        {
          actorId,
          action: 'customer.merge',
          entityType: 'customer',
          entityId: survivorId,
          details: { duplicateId },
        },
        tx,
      );
    });
    this.events.emit('customer.merged', { survivorId, duplicateId });
    return this.get(survivorId);
  }

  async setPreferences(
    id: string,
    prefs: { matrix: unknown[]; quietHours?: unknown },
  ): Promise<CustomerView> {
    await this.get(id);
    await this.customers.setPreferences(id, {
      matrix: prefs.matrix,
      quietHours: prefs.quietHours ?? null,
    });
    return this.get(id);
  }
}

function view(c: CustomerRecord, ids: IdentityRecord[]): CustomerView {
  return {
    id: c.id,
    displayName: c.displayName,
    locale: c.locale,
    timezone: c.timezone,
    attributes: c.attributes,
    tags: c.tags,
    tier: c.tier,
    preferences: c.preferences,
    identities: ids.map((i) => ({
      channel: i.channel,
      address: i.address,
      kind: i.kind,
      channels: channelsOfKind(i.kind as never),
      status: i.status,
      statusReason: i.statusReason,
    })),
    lastContactAt: c.lastContactAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
