import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import { preparedQuery } from '../common/prepared-query';
import type { Tx } from '../database/transactions';
import {
  channelsOfKind,
  CHANNELS,
  PURPOSES,
  type AddressKind,
  type Channel,
  type Purpose,
} from '../common/names';
import { learnedRanking } from './decision';
import type {
  ConsentState,
  CustomerRoutingContext,
  IdentityStatus,
  RoutingIdentity,
} from './decision';
import { engagementEvents, type InboundRow, type OutboundRow } from './engagement';
import { matrixRows, quietHours } from './stored-preferences';

/** The columns a routing read selects, given the customer as `c` and the decision time as `r.now`. */
const ROUTING_CONTEXT_COLUMNS = `c.display_name, c.locale, c.timezone, c.attributes, c.preferences,
  (SELECT coalesce(json_agg(json_build_object('kind', i.kind, 'address', i.address, 'status', i.status) ORDER BY i.created_at DESC), '[]')
     FROM customer_identities i WHERE i.customer_id = c.id) AS identities,
  (SELECT coalesce(json_agg(json_build_object('channel', l.channel, 'purpose', l.purpose, 'status', l.status)), '[]')
     FROM (SELECT DISTINCT ON (channel, purpose) channel, purpose, status FROM consents
           WHERE customer_id = c.id ORDER BY channel, purpose, seq DESC) l) AS consents,
  h.marketing, h.outbound, h.inbound`;

/** A timestamp as exact epoch microseconds (a JSON number below 2^53). */
const MICROS = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint`;

/** A marketing send that counts towards the frequency cap. */
const MARKETING_SENT = `m.direction = 'outbound' AND m.purpose = 'marketing' AND m.status NOT IN ('suppressed', 'failed')`;

/**
 * To be joined as `CROSS JOIN LATERAL (${ROUTING_HISTORY}) h`: the customer's messages of the last
 * 90 days, read once: the marketing sends of the last day and week (failed and suppressed ones
 * left out), the outbound messages newest first (at most 1,000) and the inbound ones, which
 * engagementEvents matches.
 */
const ROUTING_HISTORY = `SELECT
    json_build_object(
      'day', count(*) FILTER (WHERE ${MARKETING_SENT} AND m.created_at > r.now - interval '1 day'),
      'week', count(*) FILTER (WHERE ${MARKETING_SENT} AND m.created_at > r.now - interval '7 days')) AS marketing,
    to_json(coalesce((array_agg(json_build_array(m.channel, ${MICROS('m.created_at')}, m.status, ${MICROS('m.updated_at')})
               ORDER BY m.created_at DESC) FILTER (WHERE m.direction = 'outbound' AND m.kind = 'message'))[1:1000], '{}')) AS outbound,
    coalesce(json_agg(json_build_array(m.channel, ${MICROS('m.created_at')})) FILTER (WHERE m.direction = 'inbound'), '[]') AS inbound
  FROM messages m
  WHERE m.customer_id = c.id AND m.channel IS NOT NULL AND m.created_at > r.now - interval '90 days'`;

type IdentityRow = { kind: AddressKind; address: string; status: IdentityStatus };

/** What ROUTING_CONTEXT_COLUMNS selects. */
interface RoutingContextRow {
  display_name: string;
  locale: string;
  timezone: string;
  attributes: Record<string, unknown> | null;
  preferences: { matrix?: unknown; quietHours?: unknown } | null;
  identities: IdentityRow[];
  consents: Array<{ channel: string; purpose: string; status: 'granted' | 'revoked' }>;
  marketing: { day: number; week: number };
  outbound: OutboundRow[];
  inbound: InboundRow[];
}

/** A customer's routing context plus what rendering needs (its name). */
export interface LoadedCustomer {
  context: Omit<CustomerRoutingContext, 'templateChannels'>;
  displayName: string;
}

interface Ask {
  customerId: string;
  now: Date;
}

/** A WHERE clause over `customers c LEFT JOIN rfm_scores r ON r.customer_id = c.id`. */
export interface CustomerFilter {
  where: string;
  params: unknown[];
}

/**
 * The one read of a customer's routing context (its identities, consents and the history the
 * decision weighs), shared by single sends and campaign batches so both decide from the same
 * facts, and mapped by one function.
 */
@Injectable()
export class RoutingContextRepository {
  /** Customers asked for concurrently share one statement. */
  private readonly reads = new Coalescer((asks: Ask[]) => this.readAll(asks));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One customer's routing context at `now`; null for a customer unknown, erased or merged. */
  async ofCustomer(customerId: string, now: Date): Promise<LoadedCustomer | null> {
    const row = await this.reads.submit({ customerId, now });
    return row === undefined ? null : toLoadedCustomer(customerId, row, now);
  }

  /** One row per ask (r.ord), each with its own "now" (r.now); unknown customers have none. */
  private async readAll(asks: Ask[]): Promise<Array<RoutingContextRow | undefined>> {
    const rows = await preparedQuery<RoutingContextRow & { ord: string }>(
      this.db,
      `SELECT r.ord, ${ROUTING_CONTEXT_COLUMNS}
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS r(id, now, ord)
       CROSS JOIN LATERAL (SELECT * FROM customers c WHERE c.id = r.id AND c.erased_at IS NULL AND c.merged_into_id IS NULL) c
       CROSS JOIN LATERAL (${ROUTING_HISTORY}) h`,
      [asks.map((a) => a.customerId), asks.map((a) => a.now)],
    );
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    return asks.map((_, i) => byOrd.get(i + 1));
  }

  /**
   * The next customers a filter selects after a keyset cursor (id order), each with its routing
   * context at `now`: one statement per page. `filterAt(offset)` is the filter with its $n
   * numbered after `offset`.
   */
  async page(
    filterAt: (offset: number) => CustomerFilter,
    after: string | null,
    limit: number,
    now: Date,
    tx?: Tx,
  ): Promise<LoadedCustomer[]> {
    const filter = filterAt(3);
    const rows = (await (tx ?? this.db.manager).query(
      `WITH c AS MATERIALIZED (
         SELECT c.* FROM customers c
         LEFT JOIN rfm_scores r ON r.customer_id = c.id
         WHERE ($1::uuid IS NULL OR c.id > $1::uuid) AND ${filter.where}
         ORDER BY c.id LIMIT $2)
       SELECT c.id, ${ROUTING_CONTEXT_COLUMNS}
       FROM c CROSS JOIN (SELECT $3::timestamptz AS now) r
       CROSS JOIN LATERAL (${ROUTING_HISTORY}) h
       ORDER BY c.id`,
      [after, limit, now, ...filter.params],
    )) as Array<RoutingContextRow & { id: string }>;
    return rows.map((row) => toLoadedCustomer(row.id, row, now));
  }
}

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const PURPOSE_SET: ReadonlySet<string> = new Set(PURPOSES);

/** The one mapping of a routing read's row, whichever statement read it. */
function toLoadedCustomer(customerId: string, row: RoutingContextRow, now: Date): LoadedCustomer {
  const prefs = row.preferences ?? {};
  return {
    displayName: row.display_name,
    context: {
      customerId,
      locale: row.locale,
      timezone: row.timezone,
      attributes: row.attributes ?? {},
      identities: expandIdentities(row.identities),
      preferences: matrixRows(prefs.matrix),
      quietHours: quietHours(prefs.quietHours),
      consent: consentState(row.consents),
      learnedRanking: learnedRanking(engagementEvents(row.outbound, row.inbound), now),
      marketingSent: { lastDay: row.marketing.day, lastWeek: row.marketing.week },
    },
  };
}

/** A phone serves sms and voice; per channel the first active identity wins (newest first). */
function expandIdentities(rows: IdentityRow[]): RoutingIdentity[] {
  const out: RoutingIdentity[] = [];
  for (const row of [...rows].sort(
    (a, b) => Number(b.status === 'active') - Number(a.status === 'active'),
  )) {
    for (const channel of channelsOfKind(row.kind))
      out.push({ channel, address: row.address, status: row.status });
  }
  return out;
}

function consentState(rows: RoutingContextRow['consents']): ConsentState {
  const out: ConsentState = {};
  for (const { channel, purpose, status } of rows) {
    if (!CHANNEL_SET.has(channel) || !PURPOSE_SET.has(purpose)) continue;
    (out[channel as Channel] ??= {})[purpose as Purpose] = status;
  }
  return out;
}
