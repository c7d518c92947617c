import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors/domain-error';
import { CHANNELS, channelsOfKind, type Channel } from '../common/names';
import { DomainEvents } from '../events/domain-events';
import { normalizeAddress } from './address';
import type { CreateCustomerInput, UpdateCustomerInput } from './customer.dto';

type Row = Record<string, unknown>;

export interface IdentityView {
  channel: string;
  address: string;
  kind: string;
  channels: Channel[];
  status: string;
  statusReason: string | null;
}

export interface CustomerView {
  id: string;
  displayName: string;
  locale: string;
  timezone: string;
  attributes: Record<string, unknown>;
  tags: string[];
  tier: string | null;
  preferences: unknown;
  identities: IdentityView[];
  lastContactAt: string | null;
  createdAt: string;
  updatedAt: string;
}

@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  async create(input: CreateCustomerInput): Promise<CustomerView> {
    const ids = input.identities.map((i, n) => ({
      channel: i.channel,
      ...normalizeAddress(i.channel, i.address, `identities.${n}.address`),
    }));
    const id = await this.db.transaction(async (m) => {
      const rows = (await m.query(
        `INSERT INTO customers (display_name, locale, timezone, attributes, tags, tier) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          input.displayName,
          input.locale ?? 'en',
          input.timezone ?? 'UTC',
          JSON.stringify(input.attributes ?? {}),
          input.tags ?? [],
          input.tier ?? null,
        ],
      )) as Array<{ id: string }>;
      await this.addIdentities(m, rows[0].id, ids);
      return rows[0].id;
    });
    return this.get(id);
  }

  private async addIdentities(
    m: EntityManager,
    customerId: string,
    ids: Array<{ channel: Channel; kind: string; address: string }>,
  ) {
    for (const [n, i] of ids.entries()) {
      const res = (await m.query(
        `INSERT INTO customer_identities (customer_id, kind, channel, address) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, address) DO NOTHING RETURNING customer_id`,
        [customerId, i.kind, i.channel, i.address],
      )) as Row[];
      if (res.length === 0) {
        const owner = (await m.query(
          `SELECT customer_id FROM customer_identities WHERE kind = $1 AND address = $2`,
          [i.kind, i.address],
        )) as Row[];
        if (owner[0]?.customer_id !== customerId) {
          throw new DomainError(
            'conflict',
            `identities.${n}: ${i.channel}:${i.address} already belongs to customer ${String(owner[0]?.customer_id)}`,
            {
              customerId: owner[0]?.customer_id,
            },
          );
        }
      }
    }
  }

  async get(id: string, m: EntityManager = this.db.manager): Promise<CustomerView> {
    const rows = (await m.query(`SELECT * FROM customers WHERE id = $1`, [id])) as Row[];
    const c = rows[0];
    if (!c || c.erased_at) throw new DomainError('not_found', `customer ${id} not found`);
    if (c.merged_into_id) {
      throw new DomainError(
        'not_found',
        `customer ${id} was merged into ${String(c.merged_into_id)}`,
        { mergedIntoId: c.merged_into_id },
      );
    }
    const ids = (await m.query(
      `SELECT * FROM customer_identities WHERE customer_id = $1 ORDER BY created_at`,
      [id],
    )) as Row[];
    return view(c, ids);
  }

  async update(id: string, patch: UpdateCustomerInput): Promise<CustomerView> {
    await this.get(id);
    const ids = patch.identities?.map((i, n) => ({
      channel: i.channel,
      ...normalizeAddress(i.channel, i.address, `identities.${n}.address`),
    }));
    await this.db.transaction(async (m) => {
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
        await m.query(
          `UPDATE customers SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`,
          args,
        );
      if (ids) await this.addIdentities(m, id, ids);
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
    const rows = (await this.db.query(
      `SELECT customer_id FROM customer_identities WHERE kind = $1 AND address = $2`,
      [kind, address],
    )) as Row[];
    if (!rows[0])
      throw new DomainError('not_found', `no customer with identity ${channel}:${address}`);
    return this.get(rows[0].customer_id as string);
  }

  /** Moves identities, timeline, conversations and consents of `duplicateId` onto `survivorId`. */
  async merge(
    survivorId: string,
    duplicateId: string,
    actorId: string | null,
  ): Promise<CustomerView> {
    if (survivorId === duplicateId)
      throw new DomainError('bad_request', 'duplicateId: cannot merge a customer into itself');
    await this.db.transaction(async (m) => {
      // Lock both rows in a fixed order so concurrent merges cannot deadlock.
      const locked = (await m.query(
        `SELECT id, merged_into_id, erased_at FROM customers WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
        [[survivorId, duplicateId]],
      )) as Row[];
      for (const [id, field] of [
        [survivorId, 'id'],
        [duplicateId, 'duplicateId'],
      ] as const) {
        const r = locked.find((x) => x.id === id);
        if (!r || r.erased_at || r.merged_into_id)
          throw new DomainError('not_found', `${field}: customer ${id} not found`);
      }
      await m.query(`UPDATE customer_identities SET customer_id = $1 WHERE customer_id = $2`, [
        survivorId,
        duplicateId,
      ]);
      const active = (await m.query(
        `SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
        [survivorId],
      )) as Row[];
      const dupActive = (await m.query(
        `SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
        [duplicateId],
      )) as Row[];
      if (active[0] && dupActive[0]) {
        // One active episode per customer: the duplicate's open conversation folds into the survivor's.
        await m.query(`UPDATE messages SET conversation_id = $1 WHERE conversation_id = $2`, [
          active[0].id,
          dupActive[0].id,
        ]);
        await m.query(
          `UPDATE conversations SET status = 'resolved', resolved_at = now(), updated_at = now() WHERE id = $1`,
          [dupActive[0].id],
        );
      }
      await m.query(`UPDATE conversations SET customer_id = $1 WHERE customer_id = $2`, [
        survivorId,
        duplicateId,
      ]);
      await m.query(`UPDATE messages SET customer_id = $1 WHERE customer_id = $2`, [
        survivorId,
        duplicateId,
      ]);
      await m.query(
        `INSERT INTO consents (customer_id, channel, purpose, status, source, evidence, actor_id, created_at)
         SELECT $1::uuid, channel, purpose, status, source, COALESCE(evidence, '{}') || jsonb_build_object('mergedFrom', $2::text), actor_id, created_at
         FROM consents WHERE customer_id = $2::uuid ORDER BY seq`,
        [survivorId, duplicateId],
      );
      await m.query(
        `UPDATE customers s SET tags = COALESCE((SELECT array_agg(DISTINCT t) FROM unnest(s.tags || d.tags) t), '{}'),
                attributes = d.attributes || s.attributes,
                last_contact_at = GREATEST(s.last_contact_at, d.last_contact_at), updated_at = now()
         FROM customers d WHERE s.id = $1 AND d.id = $2`,
        [survivorId, duplicateId],
      );
      await m.query(`UPDATE customers SET merged_into_id = $1, updated_at = now() WHERE id = $2`, [
        survivorId,
        duplicateId,
      ]);
      await this.audit.record(
        {
          actorId,
          action: 'customer.merge',
          entityType: 'customer',
          entityId: survivorId,
          details: { duplicateId },
        },
        m,
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
    await this.db.query(`UPDATE customers SET preferences = $2, updated_at = now() WHERE id = $1`, [
      id,
      JSON.stringify({ matrix: prefs.matrix, quietHours: prefs.quietHours ?? null }),
    ]);
    return this.get(id);
  }
}

function view(c: Row, ids: Row[]): CustomerView {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: c.id as string,
    displayName: c.display_name as string,
    locale: c.locale as string,
    timezone: c.timezone as string,
    attributes: c.attributes as Record<string, unknown>,
    tags: c.tags as string[],
    tier: (c.tier as string) ?? null,
    preferences: c.preferences,
    identities: ids.map((i) => ({
      channel: i.channel as string,
      address: i.address as string,
      kind: i.kind as string,
      channels: channelsOfKind(i.kind as never),
      status: i.status as string,
      statusReason: (i.status_reason as string) ?? null,
    })),
    lastContactAt: iso(c.last_contact_at),
    createdAt: iso(c.created_at)!,
    updatedAt: iso(c.updated_at)!,
  };
}
