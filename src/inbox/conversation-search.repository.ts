import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectReadDataSource, type ReadDataSource } from '../database/read-data-source';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { isSqlState, SQLSTATE } from '../database/sql-errors';
import { scopeSql } from '../conversations/conversation-scope.sql';
import {
  CUSTOMER_HITS,
  fewHitsSql,
  hasTrigrams,
  indexedMatchSql,
  matchSql,
  SEARCH_HITS,
  SORT,
  TAG_FILTER,
} from './conversation-search.sql';
import {
  customerMatchesSql,
  customerRowMatchSql,
  FIELD_RANK,
  type CustomerMatchField,
} from './customer-match.sql';
import { customerSearchTerm } from '../customers/customer-search-term';
import { inboxConversation, type InboxConversation } from './conversations.repository';
import type { ListCursor } from './cursor';
import type { ConversationScope } from '../conversations/visibility.service';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** What the list is narrowed to; an absent field narrows nothing. */
export interface ConversationFilters {
  status?: string;
  /** An agent's id, or null for conversations nobody is assigned. */
  assigneeId?: string | null;
  channel?: string;
  teamId?: string;
  priority?: string;
  tag?: string;
  customerId?: string;
  /**
   * Text a message of the conversation holds, whatever the case, or that its customer's name,
   * e-mail, phone or WeChat id matches (customerSearchTerm).
   */
  q?: string;
}

/** A conversation of a list page, with the time it sorts by (the keyset's first half). */
export interface ListedConversation {
  conversation: InboxConversation;
  sortAt: Date;
}

const listed = (r: Row): ListedConversation => ({
  conversation: inboxConversation(r),
  sortAt: new Date(r.sort_at as string | Date),
});

/** A customer a search term matches, with the way it matched. */
export interface MatchedCustomer {
  id: string;
  displayName: string;
  matched: { field: CustomerMatchField; value: string };
  /** Their latest conversation the user may see. */
  conversationId: string;
}

/** The list page over `conversations c` with these conditions, the customer's name joined. */
function pageSql(where: string[], limit: string): string {
  return `SELECT c.*, cu.display_name AS customer_display_name, ${SORT} AS sort_at
    FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE ${where.join(' AND ')}
    ORDER BY ${SORT} DESC, c.id DESC LIMIT ${limit}`;
}

/**
 * The inbox list: keyset pages of the conversations a scope lets through, filtered or searched.
 * The list itself reads the primary (it must show what an agent just did); a search, which may
 * lag a little, reads the replica when there is one.
 */
@Injectable()
export class ConversationSearchRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectReadDataSource() private readonly read: ReadDataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Up to `limit` conversations the scope and filters let through, newest first (by last
   * message, else creation), after the cursor's position. A search (filters.q) that runs out
   * of SEARCH_TIMEOUT_MS is a 503 naming q.
   */
  async page(
    scope: ConversationScope,
    filters: ConversationFilters,
    after: ListCursor | null,
    limit: number,
  ): Promise<ListedConversation[]> {
    const params: unknown[] = [];
    const where: string[] = [scopeSql(scope, params)];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filters.status) add((p) => `c.status = ${p}`, filters.status);
    if (filters.assigneeId === null) where.push(`c.assignee_id IS NULL`);
    else if (filters.assigneeId) add((p) => `c.assignee_id = ${p}`, filters.assigneeId);
    if (filters.channel) add((p) => `c.last_channel = ${p}`, filters.channel);
    if (filters.teamId) add((p) => `c.team_id = ${p}`, filters.teamId);
    if (filters.priority) add((p) => `c.priority = ${p}`, filters.priority);
    if (filters.tag) add(TAG_FILTER, filters.tag);
    if (filters.customerId) add((p) => `c.customer_id = ${p}`, filters.customerId);
    let afterSql: string | null = null;
    if (after) {
      params.push(after.at, after.id);
      afterSql = `(${SORT}, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit);
    const limitSql = `$${params.length}`;
    const rows = filters.q
      ? await this.search(filters.q, where, afterSql, limitSql, params)
      : ((await this.db.query(
          pageSql([...where, ...(afterSql ? [afterSql] : [])], limitSql),
          params,
        )) as Row[]);
    return rows.map(listed);
  }

  /**
   * A term the indexes find fewer than SEARCH_HITS hits of (matching messages, conversations of
   * matching customers) is answered from those (see fewHitsSql). A term matching more is common,
   * and so is a single word under three characters (it gives the message index nothing to look
   * up): walking the list newest first and checking each conversation's messages and customer
   * finds a page soon.
   */
  private async search(
    text: string,
    where: string[],
    after: string | null,
    limit: string,
    params: unknown[],
  ): Promise<Row[]> {
    const term = customerSearchTerm(text);
    const viaIndex = hasTrigrams(text);
    // Hits through the index, not a scan hoping to meet enough matches early.
    return this.timeBoxed(viaIndex ? ['enable_seqscan = off'] : [], async (query) => {
      if (viaIndex) {
        const p = [...params];
        const sql = fewHitsSql(
          indexedMatchSql(text, p),
          customerMatchesSql(term, p),
          where,
          after,
          limit,
        );
        const few = await query(sql, p);
        if ((few[0]?.hit_count as number) < SEARCH_HITS) return few.filter((r) => r.id != null);
        await query(`SET LOCAL enable_seqscan = on`);
      }
      const p = [...params];
      const message = `EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND ${matchSql(text, p)})`;
      const found = `(${message} OR ${customerRowMatchSql(term, p)})`;
      return query(pageSql([...where, ...(after ? [after] : []), found], limit), p);
    });
  }

  /**
   * Up to `limit` customers the term matches (name, e-mail, phone, WeChat id) that have a
   * conversation the scope lets through, most recently in contact first, each with the way it
   * matched (an identity rather than the name when both do) and the latest such conversation;
   * among the first CUSTOMER_HITS found for a common term. Time-boxed like the search.
   */
  async matchingCustomers(
    scope: ConversationScope,
    q: string,
    limit: number,
  ): Promise<MatchedCustomer[]> {
    const params: unknown[] = [];
    const visible = scopeSql(scope, params);
    const matches = customerMatchesSql(customerSearchTerm(q), params);
    params.push(limit);
    const sql = `WITH found AS MATERIALIZED (SELECT * FROM (${matches}) f LIMIT ${CUSTOMER_HITS}),
      best AS (SELECT DISTINCT ON (customer_id) customer_id, field, value FROM found
               ORDER BY customer_id, ${FIELD_RANK}, value)
      SELECT cu.id, cu.display_name, b.field, b.value, v.id AS conversation_id
      FROM best b JOIN customers cu ON cu.id = b.customer_id
      CROSS JOIN LATERAL (SELECT c.id FROM conversations c WHERE c.customer_id = cu.id AND ${visible}
                          ORDER BY ${SORT} DESC, c.id DESC LIMIT 1) v
      ORDER BY cu.last_contact_at DESC NULLS LAST, cu.id LIMIT $${params.length}`;
    const rows = await this.timeBoxed(['enable_seqscan = off'], (query) => query(sql, params));
    return rows.map((r) => ({
      id: r.id as string,
      displayName: r.display_name as string,
      matched: { field: r.field as CustomerMatchField, value: r.value as string },
      conversationId: r.conversation_id as string,
    }));
  }

  /**
   * Runs a search in its own transaction under SEARCH_TIMEOUT_MS, so it cannot stall the pool;
   * running out is a 503 naming q. The transaction opens with its settings in one round trip,
   * without parallel workers (they cost more to start than these short queries take).
   */
  private timeBoxed(settings: string[], work: (query: Query) => Promise<Row[]>): Promise<Row[]> {
    return this.read.run((db) => this.timeBoxedOn(db, settings, work));
  }

  private async timeBoxedOn(
    db: DataSource,
    settings: string[],
    work: (query: Query) => Promise<Row[]>,
  ): Promise<Row[]> {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      const set = [
        `statement_timeout = ${this.config.env.SEARCH_TIMEOUT_MS}`,
        'max_parallel_workers_per_gather = 0',
        ...settings,
      ];
      await runner.query(['BEGIN', ...set.map((s) => `SET LOCAL ${s}`)].join('; '));
      const rows = await work(async (sql, p) => (await runner.query(sql, p)) as Row[]);
      await runner.query('COMMIT');
      return rows;
    } catch (e) {
      await runner.query('ROLLBACK').catch(() => undefined);
      if (isSqlState(e, SQLSTATE.queryCanceled)) {
        throw new DomainError(
          'unavailable',
          'q: the search took too long; narrow it with more words or filters',
        );
      }
      throw e;
    } finally {
      await runner.release();
    }
  }
}
