import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import { channelsOfKind, CHANNELS, PURPOSES, URGENCIES, type AddressKind, type Channel, type Purpose, type Urgency } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import { learnedRanking, type EngagementEvent } from './decision';
import type { ConsentState, CustomerRoutingContext, IdentityStatus, PreferenceRow, QuietHours, RoutingIdentity } from './decision';

interface CustomerRow {
  id: string;
  display_name: string;
  locale: string;
  timezone: string;
  attributes: Record<string, unknown>;
  preferences: { matrix?: unknown; quietHours?: unknown } | null;
}

/** A customer's routing context plus what rendering needs (name, locale, timezone). */
export interface LoadedCustomer {
  context: Omit<CustomerRoutingContext, 'templateChannels'>;
  displayName: string;
}

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const URGENCY_SET: ReadonlySet<string> = new Set([...URGENCIES, '*']);

/** Loads everything the routing decision reads about one customer, in four queries run together. */
@Injectable()
export class RoutingContextLoader {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly consents: ConsentService,
  ) {}

  async load(customerId: string, now: Date): Promise<LoadedCustomer> {
    const [customers, identities, engagement, marketing, consent] = await Promise.all([
      this.db.query(
        `SELECT id, display_name, locale, timezone, attributes, preferences FROM customers WHERE id = $1 AND erased_at IS NULL AND merged_into_id IS NULL`,
        [customerId],
      ) as Promise<CustomerRow[]>,
      this.db.query(`SELECT kind, address, status FROM customer_identities WHERE customer_id = $1 ORDER BY created_at DESC`, [customerId]) as Promise<
        Array<{ kind: AddressKind; address: string; status: IdentityStatus }>
      >,
      this.engagement(customerId, now),
      this.db.query(
        `SELECT count(*) FILTER (WHERE created_at > $2::timestamptz - interval '1 day')::int AS day, count(*)::int AS week
         FROM messages WHERE customer_id = $1 AND direction = 'outbound' AND purpose = 'marketing'
           AND status NOT IN ('suppressed', 'failed') AND created_at > $2::timestamptz - interval '7 days'`,
        [customerId, now],
      ) as Promise<Array<{ day: number; week: number }>>,
      this.consents.state(customerId),
    ]);
    const customer = customers[0];
    if (customer === undefined) throw notFound('customer', customerId);
    const prefs = customer.preferences ?? {};
    return {
      displayName: customer.display_name,
      context: {
        customerId,
        locale: customer.locale,
        timezone: customer.timezone,
        attributes: customer.attributes ?? {},
        identities: expandIdentities(identities),
        preferences: matrixRows(prefs.matrix),
        quietHours: quietHours(prefs.quietHours),
        consent: consentState(consent),
        learnedRanking: learnedRanking(engagement, now),
        marketingSent: { lastDay: marketing[0]?.day ?? 0, lastWeek: marketing[0]?.week ?? 0 },
      },
    };
  }

  /**
   * Outbound messages of the last 90 days and when the customer first answered on the same
   * channel within 48 hours, or read the message: one query.
   */
  private async engagement(customerId: string, now: Date): Promise<EngagementEvent[]> {
    const rows = (await this.db.query(
      `SELECT o.channel, o.created_at AS out_at,
              LEAST(
                (SELECT min(i.created_at) FROM messages i
                  WHERE i.customer_id = o.customer_id AND i.direction = 'inbound' AND i.channel = o.channel
                    AND i.created_at > o.created_at AND i.created_at <= o.created_at + interval '48 hours'),
                CASE WHEN o.status = 'read' THEN o.updated_at END
              ) AS responded_at
       FROM messages o
       WHERE o.customer_id = $1 AND o.direction = 'outbound' AND o.kind = 'message' AND o.channel IS NOT NULL
         AND o.created_at > $2::timestamptz - interval '90 days'
       ORDER BY o.created_at DESC LIMIT 1000`,
      [customerId, now],
    )) as Array<{ channel: Channel; out_at: Date; responded_at: Date | null }>;
    return rows.map((r) => ({ channel: r.channel, outboundAt: new Date(r.out_at), respondedAt: r.responded_at ? new Date(r.responded_at) : null }));
  }
}

/** A phone serves sms and voice; per channel the first active identity wins (newest first). */
function expandIdentities(rows: Array<{ kind: AddressKind; address: string; status: IdentityStatus }>): RoutingIdentity[] {
  const out: RoutingIdentity[] = [];
  for (const row of [...rows].sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active'))) {
    for (const channel of channelsOfKind(row.kind)) out.push({ channel, address: row.address, status: row.status });
  }
  return out;
}

function matrixRows(value: unknown): PreferenceRow[] {
  if (!Array.isArray(value)) return [];
  const rows: PreferenceRow[] = [];
  for (const item of value as Array<Record<string, unknown>>) {
    if (typeof item?.topic !== 'string' || typeof item.urgency !== 'string' || !URGENCY_SET.has(item.urgency) || !Array.isArray(item.channels)) continue;
    const channels = (item.channels as unknown[]).filter((c): c is Channel => typeof c === 'string' && CHANNEL_SET.has(c));
    rows.push({ topic: item.topic, urgency: item.urgency as Urgency | '*', channels });
  }
  return rows;
}

function quietHours(value: unknown): QuietHours | null {
  const q = value as { start?: unknown; end?: unknown } | null | undefined;
  if (q && typeof q.start === 'string' && typeof q.end === 'string') return { start: q.start, end: q.end };
  return null;
}

function consentState(state: Map<string, 'granted' | 'revoked'>): ConsentState {
  const out: ConsentState = {};
  for (const [key, status] of state) {
    const [channel, purpose] = key.split(':') as [Channel, Purpose];
    if (!CHANNEL_SET.has(channel) || !(PURPOSES as readonly string[]).includes(purpose)) continue;
    (out[channel] ??= {})[purpose] = status;
  }
  return out;
}
