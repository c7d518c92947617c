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
import { learnedRanking, type EngagementEvent } from './decision';
import { matrixRows, quietHours } from './stored-preferences';
import type {
  ConsentState,
  CustomerRoutingContext,
  IdentityStatus,
  RoutingIdentity,
} from './decision';

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
  engagement: Array<{ channel: Channel; outAt: string; respondedAt: string | null }>;
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
        learnedRanking: learnedRanking(engagementEvents(customer.engagement), now),
        marketingSent: { lastDay: customer.marketing.day, lastWeek: customer.marketing.week },
      },
    };
  }

  /** One row per ask (r.ord), each with its own "now" (r.now); unknown customers have none. */
  private async readAll(asks: Ask[]): Promise<Array<CustomerRow | undefined>> {
    const rows = (await this.db.query(
      `SELECT r.ord, c.display_name, c.locale, c.timezone, c.attributes, c.preferences,
              (SELECT coalesce(json_agg(json_build_object('kind', i.kind, 'address', i.address, 'status', i.status) ORDER BY i.created_at DESC), '[]')
                 FROM customer_identities i WHERE i.customer_id = c.id) AS identities,
              (SELECT coalesce(json_agg(json_build_object('channel', l.channel, 'purpose', l.purpose, 'status', l.status)), '[]')
                 FROM (SELECT DISTINCT ON (channel, purpose) channel, purpose, status FROM consents
                       WHERE customer_id = c.id ORDER BY channel, purpose, seq DESC) l) AS consents,
              (SELECT json_build_object('day', count(*) FILTER (WHERE k.created_at > r.now - interval '1 day'), 'week', count(*))
                 FROM messages k WHERE k.customer_id = c.id AND k.direction = 'outbound' AND k.purpose = 'marketing'
                  AND k.status NOT IN ('suppressed', 'failed') AND k.created_at > r.now - interval '7 days') AS marketing,
              (SELECT coalesce(json_agg(json_build_object('channel', e.channel, 'outAt', e.out_at, 'respondedAt', e.responded_at)), '[]')
                 FROM (${ENGAGEMENT_SQL}) e) AS engagement
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS r(id, now, ord)
       JOIN customers c ON c.id = r.id AND c.erased_at IS NULL AND c.merged_into_id IS NULL`,
      [asks.map((a) => a.customerId), asks.map((a) => a.now)],
    )) as CustomerRow[];
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    return asks.map((_, i) => byOrd.get(i + 1));
  }
}

interface Ask {
  customerId: string;
  now: Date;
}

/**
 * Outbound messages of the last 90 days and when the customer first answered on the same
 * channel within 48 hours, or read the message (c = the customer, r.now = now).
 */
const ENGAGEMENT_SQL = `SELECT o.channel, o.created_at AS out_at,
       LEAST(
         (SELECT min(r.created_at) FROM messages r
           WHERE r.customer_id = o.customer_id AND r.direction = 'inbound' AND r.channel = o.channel
             AND r.created_at > o.created_at AND r.created_at <= o.created_at + interval '48 hours'),
         CASE WHEN o.status = 'read' THEN o.updated_at END
       ) AS responded_at
  FROM messages o
  WHERE o.customer_id = c.id AND o.direction = 'outbound' AND o.kind = 'message' AND o.channel IS NOT NULL
    AND o.created_at > r.now - interval '90 days'
  ORDER BY o.created_at DESC LIMIT 1000`;

function engagementEvents(
  rows: Array<{ channel: Channel; outAt: string; respondedAt: string | null }>,
): EngagementEvent[] {
  return rows.map((r) => ({
    channel: r.channel,
    outboundAt: new Date(r.outAt),
    respondedAt: r.respondedAt ? new Date(r.respondedAt) : null,
  }));
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

function consentState(rows: CustomerRow['consents']): ConsentState {
  const out: ConsentState = {};
  for (const { channel, purpose, status } of rows) {
    if (!CHANNEL_SET.has(channel) || !(PURPOSES as readonly string[]).includes(purpose)) continue;
    (out[channel as Channel] ??= {})[purpose as Purpose] = status;
  }
  return out;
}
