import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { channelsOfKind, CHANNELS, PURPOSES, URGENCIES, type AddressKind, type Channel, type Purpose, type Urgency } from '../common/names';
import { learnedRanking } from '../routing/decision';
import type { ConsentState, CustomerRoutingContext, IdentityStatus, PreferenceRow, QuietHours, RoutingIdentity } from '../routing/decision';
import { segmentSql, type Segment } from './segment';

export interface BatchCustomer {
  displayName: string;
  context: Omit<CustomerRoutingContext, 'templateChannels'>;
}

interface Row {
  id: string;
  display_name: string;
  locale: string;
  timezone: string;
  attributes: Record<string, unknown> | null;
  preferences: { matrix?: unknown; quietHours?: unknown } | null;
  identities: Array<[AddressKind, string, IdentityStatus]> | null;
  consents: Array<[string, string, 'granted' | 'revoked']> | null;
  engagement: Array<[Channel, string, string | null]> | null;
  mk_day: number;
  mk_week: number;
}

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const PURPOSE_SET: ReadonlySet<string> = new Set(PURPOSES);
const URGENCY_SET: ReadonlySet<string> = new Set([...URGENCIES, '*']);

/**
 * The next customers of a segment after a keyset cursor, each with everything the routing
 * decision reads (identities, latest consent per channel and purpose, preferences, engagement
 * for the learned ranking as RoutingContextLoader reads it, marketing sent in the last day and
 * week): one query per batch.
 */
@Injectable()
export class BatchContextLoader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async next(segment: Segment, after: string | null, limit: number, now: Date, m: EntityManager = this.db.manager): Promise<BatchCustomer[]> {
    const seg = segmentSql(segment, 3);
    const rows = (await m.query(
      `SELECT c.id, c.display_name, c.locale, c.timezone, c.attributes, c.preferences,
              (SELECT json_agg(json_build_array(i.kind, i.address, i.status) ORDER BY (i.status = 'active') DESC, i.created_at DESC)
                 FROM customer_identities i WHERE i.customer_id = c.id) AS identities,
              (SELECT json_agg(json_build_array(x.channel, x.purpose, x.status)) FROM (
                 SELECT DISTINCT ON (k.channel, k.purpose) k.channel, k.purpose, k.status FROM consents k
                 WHERE k.customer_id = c.id ORDER BY k.channel, k.purpose, k.seq DESC) x) AS consents,
              (SELECT json_agg(json_build_array(o.channel, o.created_at, LEAST(
                  (SELECT min(i.created_at) FROM messages i
                    WHERE i.customer_id = o.customer_id AND i.direction = 'inbound' AND i.channel = o.channel
                      AND i.created_at > o.created_at AND i.created_at <= o.created_at + interval '48 hours'),
                  CASE WHEN o.status = 'read' THEN o.updated_at END)))
                 FROM (SELECT * FROM messages o WHERE o.customer_id = c.id AND o.direction = 'outbound' AND o.kind = 'message' AND o.channel IS NOT NULL
                         AND o.created_at > $3::timestamptz - interval '90 days' ORDER BY o.created_at DESC LIMIT 200) o) AS engagement,
              mk.day AS mk_day, mk.week AS mk_week
       FROM customers c
       LEFT JOIN rfm_scores r ON r.customer_id = c.id
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE o.created_at > $3::timestamptz - interval '1 day')::int AS day, count(*)::int AS week
         FROM messages o WHERE o.customer_id = c.id AND o.direction = 'outbound' AND o.purpose = 'marketing'
           AND o.status NOT IN ('suppressed', 'failed') AND o.created_at > $3::timestamptz - interval '7 days') mk ON true
       WHERE ($1::uuid IS NULL OR c.id > $1::uuid) AND ${seg.where}
       ORDER BY c.id LIMIT $2`,
      [after, limit, now, ...seg.params],
    )) as Row[];
    return rows.map((row) => toBatchCustomer(row, now));
  }

  async count(segment: Segment): Promise<number> {
    const seg = segmentSql(segment);
    const rows = (await this.db.query(
      `SELECT count(*)::int AS n FROM customers c LEFT JOIN rfm_scores r ON r.customer_id = c.id WHERE ${seg.where}`,
      seg.params,
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }
}

function toBatchCustomer(row: Row, now: Date): BatchCustomer {
  const identities: RoutingIdentity[] = [];
  for (const [kind, address, status] of row.identities ?? []) {
    for (const channel of channelsOfKind(kind)) identities.push({ channel, address, status });
  }
  const consent: ConsentState = {};
  for (const [channel, purpose, status] of row.consents ?? []) {
    if (!CHANNEL_SET.has(channel) || !PURPOSE_SET.has(purpose)) continue;
    (consent[channel as Channel] ??= {})[purpose as Purpose] = status;
  }
  const prefs = row.preferences ?? {};
  return {
    displayName: row.display_name,
    context: {
      customerId: row.id,
      locale: row.locale,
      timezone: row.timezone,
      attributes: row.attributes ?? {},
      identities,
      preferences: matrixRows(prefs.matrix),
      quietHours: quietHours(prefs.quietHours),
      consent,
      learnedRanking: row.engagement ? learnedRanking(row.engagement.map(([channel, out, responded]) => ({ channel, outboundAt: new Date(out), respondedAt: responded ? new Date(responded) : null })), now) : [],
      marketingSent: { lastDay: row.mk_day ?? 0, lastWeek: row.mk_week ?? 0 },
    },
  };
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
