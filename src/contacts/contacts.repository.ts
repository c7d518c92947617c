import { InjectReadDataSource, type ReadDataSource } from '../database/read-data-source';
import { Injectable } from '@nestjs/common';
import { segmentSql, type ConsentFilterStatus, type Segment } from '../campaigns/segment';
import { CHANNELS, type Channel } from '../common/names';
import { customerSearchTerm } from '../customers/customer-search-term';
import { customerMatchesSql } from '../inbox/customer-match.sql';

/** Customers counted at most, so that a broad filter answers as fast as a narrow one. */
export const CONTACTS_COUNT_CAP = 10_000;

export interface ContactRow {
  id: string;
  name: string;
  identities: Array<{ kind: 'email' | 'phone' | 'wechat'; address: string }>;
  tags: string[];
  tier: string | null;
  churnRisk: boolean | null;
  marketingConsent: Record<Channel, ConsentFilterStatus>;
  lastContactAt: Date | null;
}

interface RawRow extends Omit<ContactRow, 'marketingConsent'> {
  marketingConsent: Partial<Record<string, 'granted' | 'revoked'>>;
}

/**
 * The WHERE clause of a segment and a search term over `customers c LEFT JOIN rfm_scores r`,
 * its parameters in `params`. The term is looked up by the inbox's indexed customer search
 * (names by character grams, addresses by trigrams, phones by suffix): never a scan.
 */
function filterSql(segment: Segment, q: string | undefined, params: unknown[]): string {
  const and: string[] = [];
  if (q) {
    const matches = customerMatchesSql(customerSearchTerm(q), params);
    and.push(`c.id IN (SELECT m.customer_id FROM (${matches}) m)`);
  }
  const seg = segmentSql(segment, params.length);
  params.push(...seg.params);
  and.push(seg.where);
  return and.join(' AND ');
}

const ROW_COLUMNS = `c.id, c.display_name AS name, c.tags, COALESCE(r.tier, c.tier) AS tier,
  r.churn_risk AS "churnRisk", c.last_contact_at AS "lastContactAt",
  (SELECT coalesce(json_agg(json_build_object('kind', i.kind, 'address', i.address) ORDER BY i.kind), '[]')
     FROM (SELECT DISTINCT ON (kind) kind, address FROM customer_identities
           WHERE customer_id = c.id AND kind IN ('email', 'phone', 'wechat')
           ORDER BY kind, (status = 'active') DESC, created_at DESC) i) AS identities,
  (SELECT coalesce(json_object_agg(l.channel, l.status), '{}')
     FROM (SELECT DISTINCT ON (channel) channel, status FROM consents
           WHERE customer_id = c.id AND purpose = 'marketing'
           ORDER BY channel, seq DESC) l) AS "marketingConsent"`;

/** The contacts list: customers a segment and a search term select, newest first. */
@Injectable()
export class ContactsRepository {
  constructor(@InjectReadDataSource() private readonly db: ReadDataSource) {}

  /** Up to `limit` customers after the cursor (a customer id; ids are time-ordered, newest first). */
  async page(
    segment: Segment,
    q: string | undefined,
    after: string | null,
    limit: number,
  ): Promise<ContactRow[]> {
    const params: unknown[] = [];
    const where = filterSql(segment, q, params);
    const rows = (await this.db.query(
      `SELECT ${ROW_COLUMNS}
       FROM customers c LEFT JOIN rfm_scores r ON r.customer_id = c.id
       WHERE ${where} AND ($${params.push(after)}::uuid IS NULL OR c.id < $${params.length}::uuid)
       ORDER BY c.id DESC LIMIT $${params.push(limit)}`,
      params,
    )) as RawRow[];
    return rows.map((row) => ({
      ...row,
      marketingConsent: Object.fromEntries(
        CHANNELS.map((ch) => [ch, row.marketingConsent[ch] ?? 'none']),
      ) as Record<Channel, ConsentFilterStatus>,
    }));
  }

  /** How many customers match, counted up to CONTACTS_COUNT_CAP + 1. */
  async count(segment: Segment, q: string | undefined): Promise<number> {
    const params: unknown[] = [];
    const where = filterSql(segment, q, params);
    const rows = (await this.db.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM customers c
         LEFT JOIN rfm_scores r ON r.customer_id = c.id
         WHERE ${where} LIMIT ${CONTACTS_COUNT_CAP + 1}) x`,
      params,
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }

  /** The tiers of scored customers, by id. */
  async tiers(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT customer_id AS id, tier FROM rfm_scores WHERE customer_id = ANY($1::uuid[])`,
      [ids],
    )) as Array<{ id: string; tier: string }>;
    return new Map(rows.map((r) => [r.id, r.tier]));
  }
}
