import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Attachment } from '../channels/channel-port';
import { messageView, type MessageView } from '../common/views';
import type { Tx } from '../database/transactions';

type Row = Record<string, unknown>;

/** Inbound calls on the timeline: the call item a callback merges into, and the caller's locale. */
@Injectable()
export class VoiceCallsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The customer's locale, or null when the customer is gone. */
  async localeOf(customerId: string): Promise<string | null> {
    const rows = (await this.db.query(`SELECT locale FROM customers WHERE id = $1`, [
      customerId,
    ])) as Array<{ locale: string }>;
    return rows[0]?.locale ?? null;
  }

  /** The inbound call item of this CallSid, locked until `tx` ends; null when there is none yet. */
  async lockCall(callSid: string, tx: Tx): Promise<MessageView | null> {
    const rows = (await tx.query(
      `SELECT * FROM messages WHERE channel = 'voice' AND provider_message_id = $1 AND direction = 'inbound' FOR UPDATE`,
      [callSid],
    )) as Row[];
    return rows[0] ? messageView(rows[0]) : null;
  }

  /** The call item with a callback merged in (metadata, attachments, text), with its author's name. */
  async updateCall(
    id: string,
    change: { metadata: Record<string, unknown>; attachments: Attachment[]; text: string },
    tx: Tx,
  ): Promise<MessageView> {
    const updated = (await tx.query(
      `WITH m AS (UPDATE messages SET metadata = $2, attachments = $3, text = $4, updated_at = now() WHERE id = $1 RETURNING *)
       SELECT m.*, u.name AS author_name FROM m LEFT JOIN users u ON u.id = m.author_id`,
      [id, JSON.stringify(change.metadata), JSON.stringify(change.attachments), change.text],
    )) as Row[];
    return messageView(updated[0]);
  }
}
