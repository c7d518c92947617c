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
  DigestHistory,
  IdentityStatus,
  RoutingIdentity,
} from './decision';
import { engagementEvents, type InboundRow, type OutboundRow } from './engagement';
import { matrixRows, quietHours } from './stored-preferences';
import { BATCH_DIGESTS, LOW_CONTACT } from './digest-history.sql';

/**
 * The columns a routing read selects, given the customer as `c` and the decision time as `r.now`.
 * `asOf`: the consents as they stood at r.now (a past decision re-decided: the simulator).
 */
const contextColumns = (
  asOf: boolean,
) => `c.display_name, c.locale, c.timezone, c.attributes, c.preferences,
  (SELECT coalesce(json_agg(json_build_object('kind', i.kind, 'address', i.address, 'status', i.status) ORDER BY i.created_at DESC), '[]')
     FROM customer_identities i WHERE i.customer_id = c.id) AS identities,
  (SELECT coalesce(json_agg(json_build_object('channel', l.channel, 'purpose', l.purpose, 'status', l.status)), '[]')
     FROM (SELECT DISTINCT ON (channel, purpose) channel, purpose, status FROM consents
           WHERE customer_id = c.id ${asOf ? 'AND created_at <= r.now' : ''}
           ORDER BY channel, purpose, seq DESC) l) AS consents,
  h.marketing, h.outbound, h.inbound`;
const ROUTING_CONTEXT_COLUMNS = contextColumns(false);

/** A timestamp as exact epoch microseconds (a JSON number below 2^53). */
const MICROS = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint`;

/**
 * A marketing send that counts towards the frequency cap. A message gathered into a digest
 * counts when gathered; the digest carrying it does not count again.
 */
const MARKETING_SENT = `m.direction = 'outbound' AND m.purpose = 'marketing' AND m.status NOT IN ('suppressed', 'failed')
  AND m.template IS DISTINCT FROM 'digest'`;

/**
 * To be joined as `CROSS JOIN LATERAL (${ROUTING_HISTORY}) h`: the customer's messages of the last
 * 90 days, read once: the marketing sends of the last day and week (failed and suppressed ones
 * left out), the outbound messages newest first (at most 1,000; those waiting in or carried by
 * a digest left out, the digest is the contact) and the inbound ones, which engagementEvents
 * matches. routingHistory(lookback) adds `last_low`, the send time of the customer's latest
 * low-urgency contact (LOW_CONTACT) within `lookback` minutes (an SQL expression), from the same
 * read: what a digest plan needs, besides the customer's digests. `asOf`: only messages created
 * before r.now (a past decision re-decided sees the history it had).
 */
const routingHistory = (lookback: string | null, asOf = false) => `SELECT
    json_build_object(
      'day', count(*) FILTER (WHERE ${MARKETING_SENT} AND m.created_at > r.now - interval '1 day'),
      'week', count(*) FILTER (WHERE ${MARKETING_SENT} AND m.created_at > r.now - interval '7 days')) AS marketing,
    to_json(coalesce((array_agg(json_build_array(m.channel, ${MICROS('m.created_at')}, m.status, ${MICROS('m.updated_at')})
               ORDER BY m.created_at DESC) FILTER (WHERE m.direction = 'outbound' AND m.kind = 'message' AND m.status <> 'digested'))[1:1000], '{}')) AS outbound,
    coalesce(json_agg(json_build_array(m.channel, ${MICROS('m.created_at')})) FILTER (WHERE m.direction = 'inbound'), '[]') AS inbound
    ${lookback === null ? '' : `, max(coalesce(m.send_at, m.created_at)) FILTER (WHERE ${LOW_CONTACT} AND m.created_at > r.now - ${lookback} * interval '1 minute') AS last_low`}
  FROM messages m
  WHERE m.customer_id = c.id AND m.channel IS NOT NULL AND m.created_at > r.now - interval '90 days'
    ${asOf ? 'AND m.created_at < r.now' : ''}`;
const ROUTING_HISTORY = routingHistory(null);

/**
 * The support facts of the customers of a batch, set-based: to be listed after
 * `batch AS (... id, now ...)` in a WITH, and joined by SUPPORT_JOINS. Each table is read once
 * for the whole batch, by an index on customer_id probed with the batch's ids as one array
 * (`= ANY`), so the cost follows the batch, not the table. An SLA breach is the timeline event
 * SlaService records; an unresolved conversation counts from its running SLA cycle (a reopen
 * starts one), else from its creation.
 */
const SUPPORT_FACTS = `
  batch_ids AS (SELECT array_agg(id) AS ids, min(now) AS earliest FROM batch),
  open_conversations AS (
    SELECT v.customer_id, min(coalesce(v.sla_cycle_at, v.created_at)) AS since
    FROM conversations v
    WHERE v.customer_id = ANY ((SELECT ids FROM batch_ids)::uuid[]) AND v.status <> 'resolved'
    GROUP BY v.customer_id),
  sla_breaches AS (
    SELECT m.customer_id, max(m.created_at) AS at
    FROM messages m
    WHERE m.customer_id = ANY ((SELECT ids FROM batch_ids)::uuid[]) AND m.kind = 'event'
      AND (m.metadata ->> 'event') = 'sla.breached'
      AND m.created_at > (SELECT earliest FROM batch_ids) - interval '90 days'
    GROUP BY m.customer_id),
  last_csat AS (
    SELECT DISTINCT ON (s.customer_id) s.customer_id, s.score, s.created_at
    FROM csat_responses s
    WHERE s.customer_id = ANY ((SELECT ids FROM batch_ids)::uuid[])
    ORDER BY s.customer_id, s.created_at DESC)`;

/** Joins SUPPORT_FACTS to the customer `c`. */
const SUPPORT_JOINS = `
  LEFT JOIN open_conversations oc ON oc.customer_id = c.id
  LEFT JOIN sla_breaches sb ON sb.customer_id = c.id
  LEFT JOIN last_csat lc ON lc.customer_id = c.id`;

/** The columns SUPPORT_JOINS add. */
const SUPPORT_COLUMNS = `oc.since AS open_since, sb.at AS breach_at, lc.score AS csat_score, lc.created_at AS csat_at`;

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
  open_since: Date | null;
  breach_at: Date | null;
  csat_score: number | null;
  csat_at: Date | null;
  /** Only when a page read the digest facts too. */
  last_low_at?: Date | null;
  open_digest?: { id: string; dueAt: string } | null;
}

/** A customer's routing context plus what rendering needs (its name). */
export interface LoadedCustomer {
  context: Omit<CustomerRoutingContext, 'templateChannels'>;
  displayName: string;
  /** What a digest plan reads, when the page was asked for it (see PageOptions). */
  digest?: DigestHistory;
}

/** What else a page reads besides the routing context. */
export interface PageOptions {
  /**
   * Also read each customer's digest facts (their latest low-urgency contact within this many
   * minutes, their open digest), from the same statement: a campaign of low urgency.
   */
  digestLookbackMinutes?: number;
}

export interface Ask {
  customerId: string;
  now: Date;
}

/** A WHERE clause over `customers c LEFT JOIN rfm_scores r ON r.customer_id = c.id`. */
export interface CustomerFilter {
  where: string;
  params: unknown[];
}

/**
 * The one read of a customer's routing context (its identities, consents, the history and the
 * support facts the decision weighs), shared by single sends and campaign batches so both decide from the same
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

  /**
   * Past decisions' contexts, one statement for the batch: each customer as at its ask's `now`
   * (the messages before it, the consents given or revoked by then; identities, preferences and
   * open conversations as they are). One entry per ask; null for a customer gone since.
   */
  async asOf(asks: Ask[]): Promise<Array<LoadedCustomer | null>> {
    if (asks.length === 0) return [];
    const rows = await this.readAll(asks, true);
    return rows.map((row, i) =>
      row === undefined ? null : toLoadedCustomer(asks[i].customerId, row, asks[i].now),
    );
  }

  /** One row per ask (r.ord), each with its own "now" (r.now); unknown customers have none. */
  private async readAll(asks: Ask[], asOf = false): Promise<Array<RoutingContextRow | undefined>> {
    const rows = await preparedQuery<RoutingContextRow & { ord: string }>(
      this.db,
      `WITH batch AS MATERIALIZED (
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS b(id, now, ord)),
       ${SUPPORT_FACTS}
       SELECT r.ord, ${asOf ? contextColumns(true) : ROUTING_CONTEXT_COLUMNS}, ${SUPPORT_COLUMNS}
       FROM batch r
       CROSS JOIN LATERAL (SELECT * FROM customers c WHERE c.id = r.id AND c.erased_at IS NULL AND c.merged_into_id IS NULL) c
       CROSS JOIN LATERAL (${asOf ? routingHistory(null, true) : ROUTING_HISTORY}) h
       ${SUPPORT_JOINS}`,
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
    options: PageOptions = {},
  ): Promise<LoadedCustomer[]> {
    const lookback = options.digestLookbackMinutes;
    const digests = lookback !== undefined;
    const filter = filterAt(digests ? 4 : 3);
    const rows = (await (tx ?? this.db.manager).query(
      `WITH c AS MATERIALIZED (
         SELECT c.* FROM customers c
         LEFT JOIN rfm_scores r ON r.customer_id = c.id
         WHERE ($1::uuid IS NULL OR c.id > $1::uuid) AND ${filter.where}
         ORDER BY c.id LIMIT $2),
       batch AS (SELECT c.id, $3::timestamptz AS now FROM c),
       ${SUPPORT_FACTS}${digests ? `,${BATCH_DIGESTS}` : ''}
       SELECT c.id, ${ROUTING_CONTEXT_COLUMNS}, ${SUPPORT_COLUMNS}
              ${digests ? ', greatest(h.last_low, bd.closed_due) AS last_low_at, bd.open_digest' : ''}
       FROM c CROSS JOIN (SELECT $3::timestamptz AS now) r
       CROSS JOIN LATERAL (${digests ? routingHistory('$4::int') : ROUTING_HISTORY}) h
       ${SUPPORT_JOINS}
       ${digests ? 'LEFT JOIN batch_digests bd ON bd.customer_id = c.id' : ''}
       ORDER BY c.id`,
      [after, limit, now, ...(digests ? [Math.ceil(lookback)] : []), ...filter.params],
    )) as Array<RoutingContextRow & { id: string }>;
    return rows.map((row) => toLoadedCustomer(row.id, row, now));
  }
}

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const PURPOSE_SET: ReadonlySet<string> = new Set(PURPOSES);

/** The one mapping of a routing read's row, whichever statement read it. */
function toLoadedCustomer(customerId: string, row: RoutingContextRow, now: Date): LoadedCustomer {
  const prefs = row.preferences ?? {};
  const open = row.open_digest;
  return {
    displayName: row.display_name,
    ...(row.last_low_at !== undefined
      ? {
          digest: {
            lastLowAt: row.last_low_at === null ? null : new Date(row.last_low_at),
            openDigest: open ? { id: open.id, dueAt: new Date(open.dueAt) } : null,
          },
        }
      : {}),
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
      lastWhatsappInboundAt: lastInboundOn(row.inbound, 'whatsapp'),
      support: {
        openConversationSince: row.open_since === null ? null : new Date(row.open_since),
        lastSlaBreachAt: row.breach_at === null ? null : new Date(row.breach_at),
        lastCsat:
          row.csat_score === null || row.csat_at === null
            ? null
            : { score: Number(row.csat_score), at: new Date(row.csat_at) },
      },
    },
  };
}

/** The customer's latest inbound message on the channel (the 90 days read); null when none. */
function lastInboundOn(rows: readonly InboundRow[], channel: Channel): Date | null {
  let latest = -1;
  for (const [ch, micros] of rows)
    if (ch === channel && Number(micros) > latest) latest = Number(micros);
  return latest < 0 ? null : new Date(Math.floor(latest / 1000));
}

/** A phone serves sms, voice and whatsapp; per channel the first active identity wins (newest first). */
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
