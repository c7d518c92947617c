import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/transactions';

/** How many earlier Message-IDs a reply's References header carries. */
const MAX_REFERENCES = 20;

/** What a new e-mail in a conversation replies to: the thread's subject and the customer's locale. */
export interface EmailThreadTopic {
  /** The customer's latest e-mail subject in the conversation, else the conversation's; null for none. */
  subject: string | null;
  locale: string;
}

export interface EmailThreadHeaders {
  inReplyTo?: string;
  references?: string[];
}

/** The e-mail thread of a conversation, as the headers of a reply need it. */
@Injectable()
export class EmailThreadsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Threading headers for an email sent in `conversationId`: In-Reply-To is the customer's latest
   * email, References the conversation's email Message-IDs oldest first (ours and theirs), so mail
   * clients show the reply in the customer's thread. Auto-replies and bounces are skipped; ids we never sent as real mail (sandbox ids,
   * ids synthesized for messages without one) are left out. A second copy of a Message-ID (another
   * sender's forward) is stored as "<id> <fingerprint>": only the id is a Message-ID.
   */
  async headersFor(conversationId: string, tx?: Tx): Promise<EmailThreadHeaders> {
    const rows = (await (tx ?? this.db).query(
      `SELECT split_part(provider_message_id, ' ', 1) AS id, direction FROM messages
     WHERE conversation_id = $1 AND channel = 'email' AND kind = 'message' AND NOT auto_reply AND provider_message_id LIKE '%@%'
       AND NOT (provider_message_id LIKE 'sandbox-%') AND NOT (metadata ? 'messageIdSynthesized')
     ORDER BY seq DESC LIMIT $2`,
      [conversationId, MAX_REFERENCES],
    )) as Array<{ id: string; direction: string }>;
    if (rows.length === 0) return {};
    const parent = rows.find((r) => r.direction === 'inbound') ?? rows[0];
    return { inReplyTo: parent.id, references: rows.map((r) => r.id).reverse() };
  }

  /**
   * The subject a reply in `conversationId` answers (the customer's latest e-mail with one, not
   * an auto-reply; else the conversation's subject) and the customer's locale; null when the
   * conversation is gone.
   */
  async topicOf(conversationId: string, tx?: Tx): Promise<EmailThreadTopic | null> {
    const rows = (await (tx ?? this.db).query(
      `SELECT cu.locale, COALESCE(
         (SELECT m.subject FROM messages m
          WHERE m.conversation_id = c.id AND m.channel = 'email' AND m.direction = 'inbound'
            AND m.kind = 'message' AND NOT m.auto_reply AND btrim(m.subject) <> ''
          ORDER BY m.seq DESC LIMIT 1),
         NULLIF(btrim(c.subject), '')) AS subject
       FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`,
      [conversationId],
    )) as Array<{ locale: string; subject: string | null }>;
    return rows[0] ? { subject: rows[0].subject, locale: rows[0].locale } : null;
  }
}
