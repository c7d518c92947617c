import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { inboxConversation, type InboxConversation } from './conversations.repository';

type Row = Record<string, unknown>;

/** TypeORM answers an UPDATE ... RETURNING as [rows, affected] on PostgreSQL. */
const updatedRows = (result: unknown): Row[] => (result as [Row[], number])[0];

/** The statements of CSAT: the request's mark on the conversation, the score and its response. */
@Injectable()
export class CsatRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The name and locale the rating question is written for. */
  async recipientOf(customerId: string): Promise<{ name: string; locale: string }> {
    const rows = (await this.db.query(`SELECT display_name, locale FROM customers WHERE id = $1`, [
      customerId,
    ])) as Array<{ display_name: string; locale: string }>;
    return { name: rows[0]?.display_name ?? '', locale: rows[0]?.locale ?? 'en' };
  }

  /**
   * Marks the rating request sent, once per conversation, and answers the conversation; null
   * when it was asked already, has no inbound channel, or is mailing-list mail.
   */
  async markRequested(conversationId: string): Promise<InboxConversation | null> {
    const rows = updatedRows(
      await this.db.query(
        `UPDATE conversations SET csat_requested_at = now() WHERE id = $1 AND csat_requested_at IS NULL AND last_inbound_channel IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.direction = 'inbound' AND m.metadata ? 'mailingList')
         RETURNING *`,
        [conversationId],
      ),
    );
    return rows[0] ? inboxConversation(rows[0]) : null;
  }

  /**
   * Records the score of a rating reply (which resolves the conversation) and the response
   * with its message; null, recording nothing, when no request awaits a score (none asked,
   * answered already, or asked more than 7 days ago).
   */
  async recordScore(
    conversationId: string,
    messageId: string,
    { score, comment }: { score: number; comment: string | null },
  ): Promise<InboxConversation | null> {
    const rows = updatedRows(
      await this.db.query(
        `UPDATE conversations SET csat_score = $2, status = 'resolved', resolved_at = now(), updated_at = now()
         WHERE id = $1 AND csat_requested_at IS NOT NULL AND csat_score IS NULL AND csat_requested_at > now() - interval '7 days' RETURNING *`,
        [conversationId, score],
      ),
    );
    if (!rows[0]) return null;
    await this.db.query(
      `INSERT INTO csat_responses (conversation_id, customer_id, message_id, score, comment) VALUES ($1, $2, $3, $4, $5)`,
      [conversationId, rows[0].customer_id, messageId, score, comment],
    );
    return inboxConversation(rows[0]);
  }
}
