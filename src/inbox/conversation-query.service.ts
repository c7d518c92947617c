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
import { decodeCursor, encodeCursor, likePattern } from './cursor';
import type { ListFilters } from './inbox.dto';
import { scopeSql, VisibilityService } from './visibility.service';

type Row = Record<string, unknown>;
/** The page query over `conversations c` with these conditions, the customer's name joined unless false. */
type PageSql = (where: string[], customer?: boolean) => string;
export type InboxConversation = ConversationView & { tags: string[]; csatScore: number | null };

/** Matching messages read through the trigram index before a term counts as common. */
const SEARCH_HITS = 5000;
const TIMELINE_LIMIT = 500;
const SORT = `COALESCE(c.last_message_at, c.created_at)`;

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
    if (q.tag) add((p) => `${p} = ANY(c.tags)`, q.tag);
    if (q.cursor) {
      const cur = decodeCursor(q.cursor);
      params.push(cur.at, cur.id);
      where.push(`(${SORT}, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit + 1);
    const limit = `$${params.length}`;
    const page: PageSql = (w, customer = true) =>
      `SELECT c.*, ${customer ? 'cu.display_name AS customer_display_name, ' : ''}${SORT} AS sort_at
       FROM conversations c ${customer ? 'JOIN customers cu ON cu.id = c.customer_id' : ''}
       WHERE ${w.join(' AND ')}
       ORDER BY ${SORT} DESC, c.id DESC LIMIT ${limit}`;
    const rows = q.q
      ? await this.search(q.q, page, where, params)
      : ((await this.db.query(page(where), params)) as Row[]);
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
   * Search in its own transaction with a statement timeout, so it cannot stall the pool. First
   * the trigram index finds up to SEARCH_HITS matching messages; when there are fewer, the page
   * comes from those conversations (exact, whatever the filters). A term matching more is common,
   * so walking the list newest first and checking each conversation's messages finds a page soon.
   */
  private async search(
    text: string,
    page: PageSql,
    where: string[],
    params: unknown[],
  ): Promise<Row[]> {
    params.push(likePattern(text));
    const matches = `m.search_text LIKE lower($${params.length}) AND m.conversation_id IS NOT NULL AND m.kind <> 'event'`;
    try {
      return await this.db.transaction(async (m) => {
        await m.query(`SET LOCAL statement_timeout = ${this.config.env.SEARCH_TIMEOUT_MS}`);
        // Through the index, not a scan hoping to meet enough matches early.
        await m.query(`SET LOCAL enable_seqscan = off`);
        // Workers cost more to start than these short queries take.
        await m.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
        // The customer's name is joined to the page, not to every hit.
        const few = (await m.query(
          `WITH hits AS MATERIALIZED (SELECT m.conversation_id FROM messages m WHERE ${matches} LIMIT ${SEARCH_HITS}),
                found AS (${page([...where, `c.id IN (SELECT conversation_id FROM hits)`], false)})
           SELECT (SELECT count(*) FROM hits)::int AS hit_count, found.*, cu.display_name AS customer_display_name
           FROM (SELECT 1) one LEFT JOIN found ON true LEFT JOIN customers cu ON cu.id = found.customer_id
           ORDER BY found.sort_at DESC, found.id DESC`,
          params,
        )) as Row[];
        if ((few[0]?.hit_count as number) < SEARCH_HITS) return few.filter((r) => r.id != null);
        await m.query(`SET LOCAL enable_seqscan = on`);
        return (await m.query(
          page([
            ...where,
            `EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND ${matches})`,
          ]),
          params,
        )) as Row[];
      });
    } catch (e) {
      if ((e as { code?: string }).code === '57014') {
        throw new DomainError(
          'unavailable',
          'q: the search took too long; narrow it with more words or filters',
        );
      }
      throw e;
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
