import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { scopeSql } from './conversation-scope.sql';
import type { ConversationScope } from './visibility.service';
import { messageView, type MessageView } from '../common/views';

type Row = Record<string, unknown>;

/** Whose timeline: a customer's (every conversation and none) or one conversation's. */
export type TimelineOwner = 'customer' | 'conversation';

const COLUMN: Record<TimelineOwner, string> = {
  customer: 'customer_id',
  conversation: 'conversation_id',
};

/** Messages as timelines read them: newest first, keyset on the (customer_id|conversation_id, seq) indexes. */
@Injectable()
export class TimelineRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Up to `take` messages of the owner before position `beforeSeq` (null: the newest), with
   * their authors' names. With a scope, only messages of conversations it lets through (and
   * those outside any).
   */
  async messagesBefore(
    owner: TimelineOwner,
    id: string,
    beforeSeq: string | null,
    take: number,
    scope?: ConversationScope,
  ): Promise<MessageView[]> {
    const params: unknown[] = [id, beforeSeq, take];
    const visible =
      !scope || scope.all
        ? ''
        : `AND (m.conversation_id IS NULL OR EXISTS (SELECT 1 FROM conversations c
             WHERE c.id = m.conversation_id AND ${scopeSql(scope, params)}))`;
    const rows = (await this.db.query(
      `SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id
       WHERE m.${COLUMN[owner]} = $1 AND ($2::bigint IS NULL OR m.seq < $2::bigint) ${visible}
       ORDER BY m.seq DESC LIMIT $3`,
      params,
    )) as Row[];
    return rows.map(messageView);
  }
}
