import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import { notFound } from '../common/errors/domain-error';
import {
  channelsOfKind,
  CHANNELS,
  PURPOSES,
  type AddressKind,
  type Channel,
  type Purpose,
} from '../common/names';
import { learnedRanking } from './decision';
import { engagementEvents, type InboundRow, type OutboundRow } from './engagement';
import { matrixRows, quietHours } from './stored-preferences';
import type {
  ConsentState,
  CustomerRoutingContext,
  IdentityStatus,
  RoutingIdentity,
} from './decision';
import { preparedQuery } from '../common/prepared-query';

type IdentityRow = { kind: AddressKind; address: string; status: IdentityStatus };

interface CustomerRow {
  ord: string;
  display_name: string;
  locale: string;
  timezone: string;
  attributes: Record<string, unknown>;
  preferences: { matrix?: unknown; quietHours?: unknown } | null;
  identities: IdentityRow[];
  consents: Array<{ channel: string; purpose: string; status: 'granted' | 'revoked' }>;
  marketing: { day: number; week: number };
  outbound: OutboundRow[];
  inbound: InboundRow[];
}

/** A customer's routing context plus what rendering needs (name, locale, timezone). */
export interface LoadedCustomer {
  context: Omit<CustomerRoutingContext, 'templateChannels'>;
  displayName: string;
}

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);

/**
 * Loads everything the routing decision reads about one customer, in one statement; customers
 * asked for concurrently share that statement.
 */
@Injectable()
export class RoutingContextLoader {
  private readonly reads = new Coalescer((asks: Ask[]) => this.readAll(asks));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The customer row with its identities, latest consent per (channel, purpose) (the ledger read
   * ConsentService.state does), marketing sends of the last day and week, and the engagement
   * history as JSON columns.
   */
  async load(customerId: string, now: Date): Promise<LoadedCustomer> {
    const customer = await this.reads.submit({ customerId, now });
    if (customer === undefined) throw notFound('customer', customerId);
    const prefs = customer.preferences ?? {};
    return {
      displayName: customer.display_name,
      context: {
        customerId,
        locale: customer.locale,
        timezone: customer.timezone,
        attributes: customer.attributes ?? {},
        identities: expandIdentities(customer.identities),
        preferences: matrixRows(prefs.matrix),
        quietHours: quietHours(prefs.quietHours),
        consent: consentState(customer.consents),
        learnedRanking: learnedRanking(engagementEvents(customer.outbound, customer.inbound), now),
        marketingSent: { lastDay: customer.marketing.day, lastWeek: customer.marketing.week },
      },
    };
  }

  /** One row per ask (r.ord), each with its own "now" (r.now); unknown customers have none. */
  private async readAll(asks: Ask[]): Promise<Array<CustomerRow | undefined>> {
    const rows = await preparedQuery<CustomerRow>(
      this.db,
      `SELECT r.ord, c.display_name, c.locale, c.timezone, c.attributes, c.preferences,
              (SELECT coalesce(json_agg(json_build_object('kind', i.kind, 'address', i.address, 'status', i.status) ORDER BY i.created_at DESC), '[]')
                 FROM customer_identities i WHERE i.customer_id = c.id) AS identities,
              (SELECT coalesce(json_agg(json_build_object('channel', l.channel, 'purpose', l.purpose, 'status', l.status)), '[]')
                 FROM (SELECT DISTINCT ON (channel, purpose) channel, purpose, status FROM consents
                       WHERE customer_id = c.id ORDER BY channel, purpose, seq DESC) l) AS consents,
              (SELECT json_build_object('day', count(*) FILTER (WHERE k.created_at > r.now - interval '1 day'), 'week', count(*))
                 FROM messages k WHERE k.customer_id = c.id AND k.direction = 'outbound' AND k.purpose = 'marketing'
                  AND k.status NOT IN ('suppressed', 'failed') AND k.created_at > r.now - interval '7 days') AS marketing,
              (SELECT coalesce(json_agg(json_build_array(o.channel, ${MICROS('o.created_at')}, o.status, ${MICROS('o.updated_at')})), '[]')
                 FROM (${OUTBOUND_SQL}) o) AS outbound,
              (SELECT coalesce(json_agg(json_build_array(i.channel, ${MICROS('i.created_at')})), '[]')
                 FROM messages i WHERE i.customer_id = c.id AND i.direction = 'inbound' AND i.channel IS NOT NULL
                  AND i.created_at > r.now - interval '90 days') AS inbound
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS r(id, now, ord)
       CROSS JOIN LATERAL (SELECT * FROM customers c WHERE c.id = r.id AND c.erased_at IS NULL AND c.merged_into_id IS NULL) c`,
      [asks.map((a) => a.customerId), asks.map((a) => a.now)],
    );
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    return asks.map((_, i) => byOrd.get(i + 1));
  }
}

interface Ask {
  customerId: string;
  now: Date;
}

/**
 * The customer's outbound messages of the last 90 days (c = the customer, r.now = now), newest
 * first; engagementEvents matches them with the inbound messages of the same window.
 */
const OUTBOUND_SQL = `SELECT o.channel, o.created_at, o.status, o.updated_at FROM messages o
  WHERE o.customer_id = c.id AND o.direction = 'outbound' AND o.kind = 'message' AND o.channel IS NOT NULL
    AND o.created_at > r.now - interval '90 days'
  ORDER BY o.created_at DESC LIMIT 1000`;

/** A timestamp as exact epoch microseconds (a JSON number below 2^53). */
const MICROS = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint`;

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

function consentState(rows: CustomerRow['consents']): ConsentState {
  const out: ConsentState = {};
  for (const { channel, purpose, status } of rows) {
    if (!CHANNEL_SET.has(channel) || !(PURPOSES as readonly string[]).includes(purpose)) continue;
    (out[channel as Channel] ??= {})[purpose as Purpose] = status;
  }
  return out;
}
