import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { CHANNELS, channelsOfKind, type Channel, type Urgency } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import { Transactions, type Tx } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { normalizeAddress } from './address';
import type { CreateCustomerInput, UpdateCustomerInput } from './customer.dto';
import {
  PreferenceChangesRepository,
  type PreferenceChangeRecord,
} from './preference-changes.repository';
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

export interface PreferenceRowInput {
  topic: string;
  urgency: Urgency | '*';
  channels: Channel[];
}
export interface QuietHoursInput {
  start: string;
  end: string;
}

/** The preference fields to change; an absent one stays as it is (quietHours null: none). */
export interface PreferencesChange {
  matrix?: PreferenceRowInput[];
  quietHours?: QuietHoursInput | null;
  timezone?: string;
}

/** Who changed preferences, from where: goes into the ledger with each change. */
export interface ChangeOrigin {
  source: string;
  evidence?: Record<string, unknown> | null;
  actorId?: string | null;
}

@Injectable()
export class CustomersService {
  constructor(
    private readonly customers: CustomersRepository,
    private readonly merges: CustomerMergeRepository,
    private readonly transactions: Transactions,
    private readonly consents: ConsentService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly preferenceLedger: PreferenceChangesRepository,
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

  /** PUT /customers/:id/preferences: the whole matrix, and quiet hours (absent = none). */
  async setPreferences(
    id: string,
    prefs: { matrix: PreferenceRowInput[]; quietHours?: QuietHoursInput | null },
    actorId: string | null = null,
  ): Promise<CustomerView> {
    return this.changePreferences(
      id,
      { matrix: prefs.matrix, quietHours: prefs.quietHours ?? null },
      { source: 'api', actorId },
    );
  }

  /**
   * Changes the fields given (the others stay), appending one ledger entry per field that
   * changed, with its state before and after and the origin's evidence; then emits
   * preferences.changed. A change that changes nothing records nothing.
   */
  async changePreferences(
    id: string,
    change: PreferencesChange,
    origin: ChangeOrigin,
  ): Promise<CustomerView> {
    await this.get(id);
    const changed = await this.transactions.run(async (tx) => {
      const c = await this.customers.find(id, tx, { lock: true });
      if (!c) throw new DomainError('not_found', `customer ${id} not found`);
      const stored = (c.preferences ?? {}) as { matrix?: unknown; quietHours?: unknown };
      const before = {
        matrix: Array.isArray(stored.matrix) ? stored.matrix : [],
        quietHours: stored.quietHours ?? null,
        timezone: c.timezone,
      };
      const after = {
        matrix: change.matrix ?? before.matrix,
        quietHours: change.quietHours !== undefined ? change.quietHours : before.quietHours,
        timezone: change.timezone ?? before.timezone,
      };
      const fields = (['matrix', 'quietHours', 'timezone'] as const).filter(
        (f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]),
      );
      if (fields.includes('matrix') || fields.includes('quietHours'))
        await this.customers.setPreferences(
          id,
          { matrix: after.matrix, quietHours: after.quietHours },
          tx,
        );
      if (fields.includes('timezone'))
        await this.customers.update(id, { timezone: after.timezone }, tx);
      for (const field of fields)
        await this.preferenceLedger.append(
          {
            customerId: id,
            field,
            before: before[field],
            after: after[field],
            source: origin.source,
            evidence: origin.evidence ?? null,
            actorId: origin.actorId ?? null,
          },
          tx,
        );
      return fields;
    });
    if (changed.length > 0)
      this.events.emit('preferences.changed', {
        customerId: id,
        fields: changed,
        source: origin.source,
      });
    return this.get(id);
  }

  /** The preference ledger of a customer, newest first. */
  preferenceHistory(id: string): Promise<PreferenceChangeRecord[]> {
    return this.preferenceLedger.history(id);
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
