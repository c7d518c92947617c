import { Injectable } from '@nestjs/common';
import { preparedQueryIn } from '../common/prepared-query';
import type { Tx } from '../database/transactions';
import { conversationRow, type ConversationRow } from './inbound-messages.repository';

type Row = Record<string, unknown>;

/**
 * The conversation statements of the locked inbound path: which episode a message joins, and
 * opening or reopening one. All run inside the caller's transaction, under the sender's lock.
 */
@Injectable()
export class ConversationEpisodesRepository {
  /** The customer's conversation holding the latest message an e-mail reply points to, if any. */
  async referenced(
    tx: Tx,
    channel: string,
    threadRefs: string[],
    customerId: string,
  ): Promise<ConversationRow | null> {
    const rows = (await tx.query(
      `SELECT c.* FROM messages msg JOIN conversations c ON c.id = msg.conversation_id
       WHERE msg.channel = $1 AND msg.provider_message_id = ANY($2) AND c.customer_id = $3
       ORDER BY msg.seq DESC LIMIT 1`,
      [channel, threadRefs, customerId],
    )) as Row[];
    return rows[0] ? conversationRow(rows[0]) : null;
  }

  /** The customer's latest conversation resolved within `hours`, locked; null when none. */
  async latestResolvedWithin(
    tx: Tx,
    customerId: string,
    hours: number,
  ): Promise<ConversationRow | null> {
    const rows = (await tx.query(
      `SELECT * FROM conversations WHERE customer_id = $1 AND status = 'resolved'
       AND resolved_at > now() - make_interval(hours => $2) ORDER BY resolved_at DESC LIMIT 1 FOR UPDATE`,
      [customerId, hours],
    )) as Row[];
    return rows[0] ? conversationRow(rows[0]) : null;
  }

  /** A new open conversation; null when the customer has an active one already (a concurrent writer's). */
  async open(
    tx: Tx,
    customerId: string,
    subject: string | null,
    channel: string,
  ): Promise<ConversationRow | null> {
    const inserted = await preparedQueryIn(
      tx,
      `INSERT INTO conversations (customer_id, status, subject, last_channel, last_inbound_channel)
     VALUES ($1, 'open', $2, $3, $3)
     ON CONFLICT (customer_id) WHERE status <> 'resolved' DO NOTHING RETURNING *`,
      [customerId, subject, channel],
    );
    return inserted[0] ? conversationRow(inserted[0]) : null;
  }

  /** The customer's active (not resolved) conversation, if any. */
  async active(tx: Tx, customerId: string): Promise<ConversationRow | null> {
    const rows = (await tx.query(
      `SELECT * FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
      [customerId],
    )) as Row[];
    return rows[0] ? conversationRow(rows[0]) : null;
  }

  /** Opens conversation `id` again (out of snooze or resolution). */
  async reopen(tx: Tx, id: string): Promise<ConversationRow> {
    const rows = (await tx.query(
      `UPDATE conversations SET status = 'open', snoozed_until = NULL, resolved_at = NULL, updated_at = now()
     WHERE id = $1 RETURNING *`,
      [id],
    )) as [Row[], number];
    return conversationRow(rows[0][0]);
  }
}
