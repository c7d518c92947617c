import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  channelsOfKind,
  CHANNELS,
  PURPOSES,
  type AddressKind,
  type Channel,
  type Purpose,
} from '../common/names';
import { learnedRanking, type EngagementEvent } from '../routing/decision';
import { matrixRows, quietHours } from '../routing/stored-preferences';
import type {
  ConsentState,
  CustomerRoutingContext,
  IdentityStatus,
  RoutingIdentity,
} from '../routing/decision';
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
  /** Newest first: [direction, channel, created_at, status, updated_at, purpose]. */
  history: Array<['inbound' | 'outbound', Channel, string, string, string, string | null]> | null;
}

/** Most recent messages per customer read for routing (engagement and marketing counts). */
const HISTORY_LIMIT = 500;

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const PURPOSE_SET: ReadonlySet<string> = new Set(PURPOSES);

/**
 * The next customers of a segment after a keyset cursor, each with everything the routing
 * decision reads (identities, latest consent per channel and purpose, preferences, and the
 * recent messages from which fromHistory derives the learned ranking and marketing counts as
 * RoutingContextLoader does): one query per batch.
 */
@Injectable()
export class BatchContextLoader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async next(
    segment: Segment,
    after: string | null,
    limit: number,
    now: Date,
    m: EntityManager = this.db.manager,
  ): Promise<BatchCustomer[]> {
    const seg = segmentSql(segment, 2);
    // Identities and consents of the whole batch in one index scan each (an array of ids),
    // the recent messages of each customer by its own index read (a per-customer limit).
    const rows = (await m.query(
      `WITH c AS MATERIALIZED (
         SELECT c.id, c.display_name, c.locale, c.timezone, c.attributes, c.preferences
         FROM customers c
         LEFT JOIN rfm_scores r ON r.customer_id = c.id
         WHERE ($1::uuid IS NULL OR c.id > $1::uuid) AND ${seg.where}
         ORDER BY c.id LIMIT $2),
       ids AS (SELECT array_agg(id) AS ids FROM c)
       SELECT c.*, i.identities, k.consents,
              (SELECT json_agg(json_build_array(h.direction, h.channel, h.created_at, h.status, h.updated_at, h.purpose))
                 FROM (SELECT o.direction, o.channel, o.created_at, o.status, o.updated_at, o.purpose FROM messages o
                        WHERE o.customer_id = c.id AND o.kind = 'message' AND o.channel IS NOT NULL
                        ORDER BY o.seq DESC LIMIT ${HISTORY_LIMIT}) h) AS history
       FROM c
       LEFT JOIN (
         SELECT i.customer_id,
                json_agg(json_build_array(i.kind, i.address, i.status) ORDER BY (i.status = 'active') DESC, i.created_at DESC) AS identities
         FROM customer_identities i WHERE i.customer_id = ANY((SELECT ids FROM ids)::uuid[])
         GROUP BY i.customer_id) i ON i.customer_id = c.id
       LEFT JOIN (
         SELECT x.customer_id, json_agg(json_build_array(x.channel, x.purpose, x.status)) AS consents
         FROM (SELECT DISTINCT ON (k.customer_id, k.channel, k.purpose) k.customer_id, k.channel, k.purpose, k.status
               FROM consents k WHERE k.customer_id = ANY((SELECT ids FROM ids)::uuid[])
               ORDER BY k.customer_id, k.channel, k.purpose, k.seq DESC) x
         GROUP BY x.customer_id) k ON k.customer_id = c.id
       ORDER BY c.id`,
      [after, limit, ...seg.params],
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
      ...fromHistory(row.history ?? [], now),
    },
  };
}

const HOUR_MS = 3_600_000;

/**
 * What RoutingContextLoader reads with SQL, from the customer's recent messages: the learned
 * ranking (outbound messages of the last 90 days answered on the same channel within 48 hours,
 * or read) and the marketing messages sent in the last day and week.
 */
export function fromHistory(
  history: NonNullable<Row['history']>,
  now: Date,
): Pick<BatchCustomer['context'], 'learnedRanking' | 'marketingSent'> {
  const nowMs = now.getTime();
  const events: EngagementEvent[] = [];
  let lastDay = 0;
  let lastWeek = 0;
  // Oldest first, so each outbound message meets the inbound messages that follow it.
  const items = history
    .map(([direction, channel, created, status, updated, purpose]) => ({
      direction,
      channel,
      at: Date.parse(created),
      status,
      updated: Date.parse(updated),
      purpose,
    }))
    .sort((a, b) => a.at - b.at);
  for (let i = 0; i < items.length; i++) {
    const o = items[i];
    if (o.direction !== 'outbound') continue;
    if (
      o.purpose === 'marketing' &&
      o.status !== 'suppressed' &&
      o.status !== 'failed' &&
      o.at > nowMs - 7 * 24 * HOUR_MS
    ) {
      lastWeek += 1;
      if (o.at > nowMs - 24 * HOUR_MS) lastDay += 1;
    }
    if (o.at <= nowMs - 90 * 24 * HOUR_MS) continue;
    let answered: number | null = null;
    for (let j = i + 1; j < items.length && items[j].at <= o.at + 48 * HOUR_MS; j++) {
      if (
        items[j].direction === 'inbound' &&
        items[j].channel === o.channel &&
        items[j].at > o.at
      ) {
        answered = items[j].at;
        break;
      }
    }
    const read = o.status === 'read' ? o.updated : null;
    const responded =
      answered === null ? read : read === null ? answered : Math.min(answered, read);
    events.push({
      channel: o.channel,
      outboundAt: new Date(o.at),
      respondedAt: responded === null ? null : new Date(responded),
    });
  }
  return { learnedRanking: learnedRanking(events, now), marketingSent: { lastDay, lastWeek } };
}
