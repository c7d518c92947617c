import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { scopeSql } from './conversation-scope.sql';
import type { ConversationScope } from './visibility.service';
import { messageView, type MessageView } from './views';

export interface TimelinePage {
  items: MessageView[];
  nextCursor: string | null;
}

const encode = (seq: string) => Buffer.from(`s:${seq}`).toString('base64url');
const MAX_BIGINT = 2n ** 63n - 1n;
function decode(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString();
  // A position past bigint's range would reach PostgreSQL as an out-of-range error (a 500).
  if (!/^s:\d{1,19}$/.test(raw) || BigInt(raw.slice(2)) > MAX_BIGINT)
    throw new DomainError('bad_request', 'before: not a cursor this API returned');
  return raw.slice(2);
}

/** Keyset pages of a timeline, newest first, on the (customer_id|conversation_id, seq) indexes. */
@Injectable()
export class TimelineService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** With a scope, only messages of conversations it lets through (and those outside any). */
  forCustomer(
    customerId: string,
    limit: number,
    before?: string,
    scope?: ConversationScope,
  ): Promise<TimelinePage> {
    return this.page('customer_id', customerId, limit, before, scope);
  }

  forConversation(conversationId: string, limit: number, before?: string): Promise<TimelinePage> {
    return this.page('conversation_id', conversationId, limit, before);
  }

  private async page(
    column: 'customer_id' | 'conversation_id',
    id: string,
    limit: number,
    before?: string,
    scope?: ConversationScope,
  ): Promise<TimelinePage> {
    const seq = before ? decode(before) : null;
    const params: unknown[] = [id, seq, limit + 1];
    const visible =
      !scope || scope.all
        ? ''
        : `AND (m.conversation_id IS NULL OR EXISTS (SELECT 1 FROM conversations c
             WHERE c.id = m.conversation_id AND ${scopeSql(scope, params)}))`;
    const rows = (await this.db.query(
      `SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id
       WHERE m.${column} = $1 AND ($2::bigint IS NULL OR m.seq < $2::bigint) ${visible}
       ORDER BY m.seq DESC LIMIT $3`,
      params,
    )) as Array<Record<string, unknown>>;
    const items = rows.slice(0, limit).map(messageView);
    return { items, nextCursor: rows.length > limit ? encode(items[items.length - 1].seq) : null };
  }
}
