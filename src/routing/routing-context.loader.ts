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
              h.marketing, h.outbound, h.inbound
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS r(id, now, ord)
       CROSS JOIN LATERAL (SELECT * FROM customers c WHERE c.id = r.id AND c.erased_at IS NULL AND c.merged_into_id IS NULL) c
       CROSS JOIN LATERAL (${HISTORY_SQL}) h`,
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

/** A timestamp as exact epoch microseconds (a JSON number below 2^53). */
const MICROS = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint`;

/** A marketing send that counts towards the frequency cap. */
const MARKETING_SENT = `m.direction = 'outbound' AND m.purpose = 'marketing' AND m.status NOT IN ('suppressed', 'failed')`;

/**
 * The customer's messages of the last 90 days (c = the customer, r.now = now), read once: the
 * marketing sends of the last day and week (failed and suppressed ones left out), the outbound
 * messages newest first (at most 1,000) and the inbound ones, which engagementEvents matches.
 * One scan of the customer's timeline instead of one per figure.
 */
const HISTORY_SQL = `SELECT
    json_build_object(
      'day', count(*) FILTER (WHERE ${MARKETING_SENT} AND m.created_at > r.now - interval '1 day'),
      'week', count(*) FILTER (WHERE ${MARKETING_SENT} AND m.created_at > r.now - interval '7 days')) AS marketing,
    to_json(coalesce((array_agg(json_build_array(m.channel, ${MICROS('m.created_at')}, m.status, ${MICROS('m.updated_at')})
               ORDER BY m.created_at DESC) FILTER (WHERE m.direction = 'outbound' AND m.kind = 'message'))[1:1000], '{}')) AS outbound,
    coalesce(json_agg(json_build_array(m.channel, ${MICROS('m.created_at')})) FILTER (WHERE m.direction = 'inbound'), '[]') AS inbound
  FROM messages m
  WHERE m.customer_id = c.id AND m.channel IS NOT NULL AND m.created_at > r.now - interval '90 days'`;

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
