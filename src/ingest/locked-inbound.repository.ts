import { Injectable } from '@nestjs/common';
import type { Attachment } from '../channels/channel-port';
import { preparedQueryIn } from '../common/prepared-query';
import type { Tx } from '../database/transactions';
import {
  conversationOrNull,
  messageOrNull,
  type ConversationRow,
  type MessageRow,
} from './inbound-messages.repository';
import { CONVERSATION_WITH_NAME } from './known-sender.sql';

type Row = Record<string, unknown>;

/** Under the sender's lock: is this a retry, who is the sender, what is their active episode. */
export interface SenderProbe {
  existing: MessageRow | null;
  customerId: string | null;
  active: ConversationRow | null;
}

/** A message of a known customer written on the locked path ($1..$15 of LOCKED_WRITE). */
export interface LockedMessage {
  id: string;
  customerId: string;
  conversationId: string | null;
  mkind: string;
  channel: string;
  text: string;
  html: string | null;
  subject: string | null;
  /** JSON text. */
  attachments: string;
  address: string;
  providerMessageId: string;
  autoReply: boolean;
  /** JSON text. */
  metadata: string;
  receivedAt: Date | null;
  preview: string;
}

const LOCKED_WRITE = `WITH msg AS (
               INSERT INTO messages (id, customer_id, conversation_id, direction, kind, channel, status, text, html, subject,
                                     attachments, address, provider_message_id, auto_reply, metadata, created_at)
               VALUES ($1, $2, $3, 'inbound', $4, $5, 'delivered', $6, $7, $8, $9, $10, $11, $12, $13, COALESCE($14, now()))
               RETURNING *),
             conv AS (
               UPDATE conversations SET last_message_at = now(), last_message_preview = $15, last_channel = $5,
                      last_inbound_channel = $5, subject = COALESCE(subject, $8), updated_at = now()
               WHERE id = $3 AND EXISTS (SELECT 1 FROM msg) RETURNING *),
             cust AS (UPDATE customers SET last_contact_at = now() WHERE id = $2 AND EXISTS (SELECT 1 FROM msg) RETURNING display_name)
             SELECT (SELECT to_jsonb(msg) FROM msg) AS message, ${CONVERSATION_WITH_NAME('conv')} AS conversation`;

/**
 * The locked inbound path's statements, inside the caller's transaction: the sender's lock, the
 * probe, a customer without a conversation, the message and its stored attachments.
 */
@Injectable()
export class LockedInboundRepository {
  /** Serializes deliveries from one sender (`key`) until the transaction ends. */
  async lockSender(tx: Tx, key: string): Promise<void> {
    await preparedQueryIn(tx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
  }

  /** One round trip: is this a retry, who is the sender, what is their active episode. */
  async probe(
    tx: Tx,
    channel: string,
    providerMessageId: string,
    kind: string,
    address: string,
  ): Promise<SenderProbe> {
    const [row] = await preparedQueryIn<Row>(
      tx,
      `SELECT (SELECT to_jsonb(x) FROM messages x WHERE x.channel = $1 AND x.provider_message_id = $2) AS existing,
                    i.customer_id,
                    (SELECT to_jsonb(c) FROM conversations c WHERE c.customer_id = i.customer_id AND c.status <> 'resolved') AS active
             FROM (SELECT 1) one LEFT JOIN customer_identities i ON i.kind = $3 AND i.address = $4`,
      [channel, providerMessageId, kind, address],
    );
    return {
      existing: messageOrNull(row.existing),
      customerId: (row.customer_id as string | null) ?? null,
      active: conversationOrNull(row.active),
    };
  }

  /** A customer and their identity for a sender whose first message joins no new conversation. */
  async createCustomer(
    tx: Tx,
    displayName: string,
    kind: string,
    channel: string,
    address: string,
  ): Promise<string> {
    const rows = await preparedQueryIn<{ id: string }>(
      tx,
      `WITH c AS (INSERT INTO customers (display_name) VALUES ($1) RETURNING id),
            i AS (INSERT INTO customer_identities (customer_id, kind, channel, address) SELECT id, $2, $3, $4 FROM c)
       SELECT id FROM c`,
      [displayName, kind, channel, address],
    );
    return rows[0].id;
  }

  /**
   * The message, and the conversation's summary (only when a message was inserted): a null
   * message means another transaction holds this provider message id.
   */
  async writeLocked(
    tx: Tx,
    m: LockedMessage,
  ): Promise<{ message: MessageRow | null; conversation: ConversationRow | null }> {
    const [row] = await preparedQueryIn<Row>(tx, LOCKED_WRITE, [
      m.id,
      m.customerId,
      m.conversationId,
      m.mkind,
      m.channel,
      m.text,
      m.html,
      m.subject,
      m.attachments,
      m.address,
      m.providerMessageId,
      m.autoReply,
      m.metadata,
      m.receivedAt,
      m.preview,
    ]);
    return {
      message: messageOrNull(row.message),
      conversation: conversationOrNull(row.conversation),
    };
  }

  /** Stored attachments of a message just written, one row each. */
  async storeAttachments(
    tx: Tx,
    messageId: string,
    rows: Array<{ id: string; a: Attachment }>,
  ): Promise<void> {
    for (const { id, a } of rows) {
      await tx.query(
        `INSERT INTO attachments (id, message_id, filename, content_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, messageId, a.filename, a.contentType, a.content!.length, a.content],
      );
    }
  }
}
