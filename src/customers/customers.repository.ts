import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Channel } from '../common/names';
import type { Tx } from '../database/transactions';

type Row = Record<string, unknown>;

/** A row of customers. */
export interface CustomerRecord {
  id: string;
  displayName: string;
  locale: string;
  timezone: string;
  attributes: Record<string, unknown>;
  tags: string[];
  tier: string | null;
  preferences: unknown;
  lastContactAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  mergedIntoId: string | null;
  erasedAt: Date | null;
}

/** A row of customer_identities. */
export interface IdentityRecord {
  channel: string;
  address: string;
  kind: string;
  status: string;
  statusReason: string | null;
}

export type NewCustomer = Pick<
  CustomerRecord,
  'displayName' | 'locale' | 'timezone' | 'attributes' | 'tags' | 'tier'
>;

/** The columns an update sets; absent ones stay. */
export type CustomerPatch = Partial<Omit<NewCustomer, 'tier'>> & { tier?: string | null };

/** An identity as written: the address normalized for its kind. */
export interface NewIdentity {
  channel: Channel;
  kind: string;
  address: string;
}

/** customers and customer_identities: the profile and the addresses that lead to it. */
@Injectable()
export class CustomersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(c: NewCustomer, tx?: Tx): Promise<string> {
    const rows = (await (tx ?? this.db).query(
      `INSERT INTO customers (display_name, locale, timezone, attributes, tags, tier) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [c.displayName, c.locale, c.timezone, JSON.stringify(c.attributes), c.tags, c.tier],
    )) as Array<{ id: string }>;
    return rows[0].id;
  }

  /** false when the address is on record already (for this customer or another). */
  async addIdentity(customerId: string, i: NewIdentity, tx?: Tx): Promise<boolean> {
    const res = (await (tx ?? this.db).query(
      `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, address) DO NOTHING RETURNING customer_id`,
      [customerId, i.kind, i.channel, i.address],
    )) as Row[];
    return res.length > 0;
  }

  /** The customer holding an identity, if any. */
  async ownerOf(kind: string, address: string, tx?: Tx): Promise<string | null> {
    const owner = (await (tx ?? this.db).query(
      `SELECT customer_id FROM customer_identities WHERE kind = $1 AND address = $2`,
      [kind, address],
    )) as Row[];
    return (owner[0]?.customer_id as string | undefined) ?? null;
  }

  /** The customer row, erased or merged ones included; null when there is none. */
  /** `lock`: FOR UPDATE, so a read-modify-write inside `tx` cannot lose a concurrent change. */
  async find(
    id: string,
    tx?: Tx,
    options: { lock?: boolean } = {},
  ): Promise<CustomerRecord | null> {
    const rows = (await (tx ?? this.db).query(
      `SELECT * FROM customers WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`,
      [id],
    )) as Row[];
    return rows[0] ? customerRecord(rows[0]) : null;
  }

  /** The customer's identities, oldest first. */
  async identitiesOf(customerId: string, tx?: Tx): Promise<IdentityRecord[]> {
    const rows = (await (tx ?? this.db).query(
      `SELECT * FROM customer_identities WHERE customer_id = $1 ORDER BY created_at`,
      [customerId],
    )) as Row[];
    return rows.map(identityRecord);
  }

  /** Sets the columns `patch` has; nothing runs when it has none. */
  async update(id: string, patch: CustomerPatch, tx?: Tx): Promise<void> {
    const sets: string[] = [];
    const args: unknown[] = [id];
    const put = (col: string, v: unknown) => {
      args.push(v);
      sets.push(`${col} = $${args.length}`);
    };
    if (patch.displayName !== undefined) put('display_name', patch.displayName);
    if (patch.locale !== undefined) put('locale', patch.locale);
    if (patch.timezone !== undefined) put('timezone', patch.timezone);
    if (patch.attributes !== undefined) put('attributes', JSON.stringify(patch.attributes));
    if (patch.tags !== undefined) put('tags', patch.tags);
    if (patch.tier !== undefined) put('tier', patch.tier);
    if (sets.length)
      await (tx ?? this.db).query(
        `UPDATE customers SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`,
        args,
      );
  }

  async setPreferences(
    id: string,
    prefs: { matrix: unknown[]; quietHours: unknown },
    tx?: Tx,
  ): Promise<void> {
    await (tx ?? this.db).query(
      `UPDATE customers SET preferences = $2, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify({ matrix: prefs.matrix, quietHours: prefs.quietHours })],
    );
  }
}

const date = (v: unknown): Date | null => (v ? new Date(v as string) : null);

function customerRecord(c: Row): CustomerRecord {
  return {
    id: c.id as string,
    displayName: c.display_name as string,
    locale: c.locale as string,
    timezone: c.timezone as string,
    attributes: c.attributes as Record<string, unknown>,
    tags: c.tags as string[],
    tier: (c.tier as string | null) ?? null,
    preferences: c.preferences,
    lastContactAt: date(c.last_contact_at),
    createdAt: date(c.created_at)!,
    updatedAt: date(c.updated_at)!,
    mergedIntoId: (c.merged_into_id as string | null) ?? null,
    erasedAt: date(c.erased_at),
  };
}

function identityRecord(i: Row): IdentityRecord {
  return {
    channel: i.channel as string,
    address: i.address as string,
    kind: i.kind as string,
    status: i.status as string,
    statusReason: (i.status_reason as string | null) ?? null,
  };
}
