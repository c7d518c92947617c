import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** A chat message as the widget's history shows it. */
export interface ChatHistoryEntry {
  id: string;
  text: string;
  direction: 'inbound' | 'outbound';
  authorName: string | null;
  createdAt: Date;
}

/** An outbound chat reply, as the e-mail fallback needs it. */
export interface ChatReply {
  id: string;
  customerId: string;
  conversationId: string | null;
  text: string;
  authorId: string | null;
  /** Set once the reply fell back to another channel. */
  fellBackTo: string | null;
}

/** The statements of the chat: visitors' customers, their history, typing targets, fallbacks. */
@Injectable()
export class LivechatRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The customer holding live-chat visitor `visitorId`, if any. */
  async customerOfVisitor(visitorId: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT customer_id FROM customer_identities WHERE kind = 'livechat' AND address = $1`,
      [visitorId],
    )) as Row[];
    return (rows[0]?.customer_id as string) ?? null;
  }

  /** The customer's last `limit` chat messages, newest first. */
  async latestChatMessages(customerId: string, limit: number): Promise<ChatHistoryEntry[]> {
    const rows = (await this.db.query(
      `SELECT m.id, m.text, m.direction, m.created_at, u.name AS author_name FROM messages m
       LEFT JOIN users u ON u.id = m.author_id
       WHERE m.customer_id = $1 AND m.channel = 'livechat' AND m.kind = 'message'
       ORDER BY m.seq DESC LIMIT $2`,
      [customerId, limit],
    )) as Row[];
    return rows.map(historyEntry);
  }

  /** The customer's active (not resolved) conversation, if any. */
  async activeConversationOf(customerId: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
      [customerId],
    )) as Row[];
    return (rows[0]?.id as string) ?? null;
  }

  /** The customer a conversation belongs to; null when there is no such conversation. */
  async customerOfConversation(conversationId: string): Promise<string | null> {
    const rows = (await this.db.query(`SELECT customer_id FROM conversations WHERE id = $1`, [
      conversationId,
    ])) as Array<{ customer_id: string }>;
    return rows[0]?.customer_id ?? null;
  }

  /** The visitor ids (live-chat addresses) of a customer. */
  async visitorsOf(customerId: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT address FROM customer_identities WHERE customer_id = $1 AND kind = 'livechat'`,
      [customerId],
    )) as Array<{ address: string }>;
    return rows.map((r) => r.address);
  }

  /** The outbound chat message `messageId`; null when it is none. */
  async outboundChatReply(messageId: string): Promise<ChatReply | null> {
    const rows = (await this.db.query(
      `SELECT * FROM messages WHERE id = $1 AND direction = 'outbound' AND channel = 'livechat'`,
      [messageId],
    )) as Row[];
    return rows[0] ? chatReply(rows[0]) : null;
  }

  /** Whether the customer has an active e-mail identity. */
  async hasActiveEmail(customerId: string): Promise<boolean> {
    const email = (await this.db.query(
      `SELECT 1 FROM customer_identities WHERE customer_id = $1 AND kind = 'email' AND status = 'active' LIMIT 1`,
      [customerId],
    )) as Row[];
    return email.length > 0;
  }

  /** A conversation's subject; null when it has none or there is no such conversation. */
  async conversationSubject(conversationId: string): Promise<string | null> {
    const rows = (await this.db.query(`SELECT subject FROM conversations WHERE id = $1`, [
      conversationId,
    ])) as Row[];
    return (rows[0]?.subject as string | null) ?? null;
  }

  /** Notes on the chat reply that it went by e-mail as message `fallbackMessageId`. */
  async markFellBackToEmail(messageId: string, fallbackMessageId: string): Promise<void> {
    await this.db.query(
      `UPDATE messages SET metadata = metadata || jsonb_build_object('fellBackTo', 'email', 'fallbackMessageId', $2::text), updated_at = now() WHERE id = $1`,
      [messageId, fallbackMessageId],
    );
  }
}

function historyEntry(r: Row): ChatHistoryEntry {
  return {
    id: r.id as string,
    text: r.text as string,
    direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
    authorName: (r.author_name as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
  };
}

function chatReply(r: Row): ChatReply {
  const metadata = r.metadata as Row | null;
  return {
    id: r.id as string,
    customerId: r.customer_id as string,
    conversationId: (r.conversation_id as string | null) ?? null,
    text: r.text as string,
    authorId: (r.author_id as string | null) ?? null,
    fellBackTo: (metadata?.fellBackTo as string | undefined) ?? null,
  };
}
