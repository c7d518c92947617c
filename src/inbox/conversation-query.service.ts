import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError, notFound } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import {
  conversationView,
  messageView,
  type ConversationView,
  type MessageView,
} from '../conversations/views';
import {
  fewHitsSql,
  hasTrigrams,
  indexedMatchSql,
  matchSql,
  SEARCH_HITS,
  SORT,
  TAG_FILTER,
} from './conversation-search.sql';
import { decodeCursor, encodeCursor } from './cursor';
import type { ListFilters } from './inbox.dto';
import { scopeSql, VisibilityService } from './visibility.service';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;
export type InboxConversation = ConversationView & { tags: string[]; csatScore: number | null };

const TIMELINE_LIMIT = 500;

/** The list page over `conversations c` with these conditions, the customer's name joined. */
function pageSql(where: string[], limit: string): string {
  return `SELECT c.*, cu.display_name AS customer_display_name, ${SORT} AS sort_at
    FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE ${where.join(' AND ')}
    ORDER BY ${SORT} DESC, c.id DESC LIMIT ${limit}`;
}

export function inboxConversation(r: Row): InboxConversation {
  return {
    ...conversationView(r),
    tags: (r.tags as string[]) ?? [],
    csatScore: (r.csat_score as number) ?? null,
  };
}

/** Reads for the inbox: the keyset-paginated list (filters, time-boxed search) and one conversation. */
@Injectable()
export class ConversationQueryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly visibility: VisibilityService,
    private readonly config: AppConfig,
  ) {}

  async list(
    user: AuthUser,
    q: ListFilters,
  ): Promise<{ items: InboxConversation[]; nextCursor: string | null }> {
    const scope = await this.visibility.scopeOf(user);
    const params: unknown[] = [];
    const where: string[] = [scopeSql(scope, params)];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.status) add((p) => `c.status = ${p}`, q.status);
    if (q.assignee === 'me') add((p) => `c.assignee_id = ${p}`, user.id);
    else if (q.assignee === 'none') where.push(`c.assignee_id IS NULL`);
    else if (q.assignee) add((p) => `c.assignee_id = ${p}`, q.assignee);
    if (q.channel) add((p) => `c.last_channel = ${p}`, q.channel);
    if (q.team) add((p) => `c.team_id = ${p}`, q.team);
    if (q.priority) add((p) => `c.priority = ${p}`, q.priority);
    if (q.tag) add(TAG_FILTER, q.tag);
    let after: string | null = null;
    if (q.cursor) {
      const cur = decodeCursor(q.cursor);
      params.push(cur.at, cur.id);
      after = `(${SORT}, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(q.limit + 1);
    const limit = `$${params.length}`;
    const rows = q.q
      ? await this.search(q.q, where, after, limit, params)
      : ((await this.db.query(
          pageSql([...where, ...(after ? [after] : [])], limit),
          params,
        )) as Row[]);
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(inboxConversation),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({
              at: new Date(last.sort_at as string).toISOString(),
              id: last.id as string,
            })
          : null,
    };
  }

  /**
   * A term the trigram index finds fewer than SEARCH_HITS messages of is answered from those
   * (see fewHitsSql). A term matching more is common, and so is a single word under three
   * characters (it gives the index nothing to look up): walking the list newest first and
   * checking each conversation's messages finds a page soon.
   */
  private async search(
    text: string,
    where: string[],
    after: string | null,
    limit: string,
    params: unknown[],
  ): Promise<Row[]> {
    const viaIndex = hasTrigrams(text);
    // Hits through the index, not a scan hoping to meet enough matches early.
    return this.timeBoxed(viaIndex ? ['enable_seqscan = off'] : [], async (query) => {
      if (viaIndex) {
        const p = [...params];
        const few = await query(fewHitsSql(indexedMatchSql(text, p), where, after, limit), p);
        if ((few[0]?.hit_count as number) < SEARCH_HITS) return few.filter((r) => r.id != null);
        await query(`SET LOCAL enable_seqscan = on`);
      }
      const p = [...params];
      const exists = `EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND ${matchSql(text, p)})`;
      return query(pageSql([...where, ...(after ? [after] : []), exists], limit), p);
    });
  }

  /**
   * Runs a search in its own transaction under SEARCH_TIMEOUT_MS, so it cannot stall the pool;
   * running out is a 503 naming q. The transaction opens with its settings in one round trip,
   * without parallel workers (they cost more to start than these short queries take).
   */
  private async timeBoxed(
    settings: string[],
    work: (query: Query) => Promise<Row[]>,
  ): Promise<Row[]> {
    const runner = this.db.createQueryRunner();
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
      if ((e as { code?: string }).code === '57014') {
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

  /** The raw row, checked against the user's scope. */
  async visibleRow(user: AuthUser, id: string): Promise<InboxConversation> {
    const rows = (await this.db.query(
      `SELECT c.*, cu.display_name AS customer_display_name FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`,
      [id],
    )) as Row[];
    if (!rows[0]) throw notFound('conversation', id);
    const conv = inboxConversation(rows[0]);
    await this.visibility.assertCanSee(user, conv);
    return conv;
  }

  async detail(user: AuthUser, id: string) {
    const conv = await this.visibleRow(user, id);
    const messages = (await this.db.query(
      `SELECT * FROM (
         SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id
         WHERE m.conversation_id = $1 ORDER BY m.seq DESC LIMIT ${TIMELINE_LIMIT}
       ) t ORDER BY seq ASC`,
      [id],
    )) as Row[];
    return {
      ...conv,
      customer: await this.customerPanel(conv.customerId),
      messages: messages.map(messageView) as MessageView[],
    };
  }

  /** What the customer panel shows beside the timeline. */
  private async customerPanel(customerId: string) {
    const [c] = (await this.db.query(
      `SELECT id, display_name, locale, timezone, attributes, tags, tier, preferences FROM customers WHERE id = $1`,
      [customerId],
    )) as Row[];
    const identities = (await this.db.query(
      `SELECT channel, kind, address, status FROM customer_identities WHERE customer_id = $1 ORDER BY created_at`,
      [customerId],
    )) as Row[];
    const consents = (await this.db.query(
      `SELECT DISTINCT ON (channel, purpose) channel, purpose, status, source, created_at AS "createdAt"
       FROM consents WHERE customer_id = $1 ORDER BY channel, purpose, seq DESC`,
      [customerId],
    )) as Row[];
    return {
      id: customerId,
      displayName: c?.display_name as string,
      locale: c?.locale ?? null,
      timezone: c?.timezone ?? null,
      attributes: c?.attributes ?? {},
      tags: c?.tags ?? [],
      tier: c?.tier ?? null,
      preferences: c?.preferences ?? null,
      identities,
      consents,
    };
  }
}
