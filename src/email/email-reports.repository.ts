import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DeliveryStatus } from '../common/names';
import { nextDeliveryStatus } from '../delivery/status-order';

type Row = Record<string, unknown>;

export interface EmailIdentity {
  customerId: string;
  status: string;
}

export interface OutboundEmail {
  id: string;
  customerId: string;
  conversationId: string | null;
  status: DeliveryStatus;
}

/** The statements e-mail reports (bounces, complaints, receipts) and inbound repeats need. */
@Injectable()
export class EmailReportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async identity(address: string): Promise<EmailIdentity | null> {
    const rows = (await this.db.query(
      `SELECT customer_id, status FROM customer_identities WHERE kind = 'email' AND address = $1`,
      [address.toLowerCase()],
    )) as Row[];
    return rows[0]
      ? { customerId: rows[0].customer_id as string, status: rows[0].status as string }
      : null;
  }

  async markBounced(address: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE customer_identities SET status = 'bounced', status_reason = $2 WHERE kind = 'email' AND address = $1`,
      [address.toLowerCase(), reason.slice(0, 500)],
    );
  }

  /** Fails the outbound e-mail a permanent bounce reports on; null when we sent no such message. */
  async failOutbound(
    providerMessageId: string,
    code: string,
    bounce: unknown,
  ): Promise<OutboundEmail | null> {
    const rows = (await this.db.query(
      `UPDATE messages SET status = 'failed', updated_at = now(),
              metadata = metadata || jsonb_build_object('delivery', jsonb_build_object('errorClass', 'permanent', 'errorCode', $2::text, 'bounce', $3::jsonb))
       WHERE channel = 'email' AND direction = 'outbound' AND provider_message_id = $1 RETURNING *`,
      [providerMessageId, code, JSON.stringify(bounce)],
    )) as [Row[], number];
    return rows[0][0] ? outbound(rows[0][0]) : null;
  }

  /**
   * A read receipt: the outbound e-mail with this Message-ID becomes read (one way only, as
   * status callbacks move it), and its delivery attempt with it. Null when we sent no such message.
   */
  async markRead(
    providerMessageId: string,
  ): Promise<{ message: OutboundEmail; changed: boolean } | null> {
    return this.db.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT * FROM messages WHERE channel = 'email' AND direction = 'outbound' AND provider_message_id = $1 FOR UPDATE`,
        [providerMessageId],
      )) as Row[];
      if (!rows[0]) return null;
      const current = outbound(rows[0]);
      const next = nextDeliveryStatus(current.status, 'read');
      if (next === current.status) return { message: current, changed: false };
      await m.query(
        `UPDATE messages SET status = $2, updated_at = now(),
                metadata = jsonb_set(metadata, '{delivery}', COALESCE(metadata->'delivery', '{}'::jsonb) || '{"readReceipt": true}'::jsonb)
         WHERE id = $1`,
        [current.id, next],
      );
      await m.query(
        `UPDATE delivery_attempts SET status = $2, updated_at = now() WHERE channel = 'email' AND provider_message_id = $1`,
        [providerMessageId, next],
      );
      return { message: { ...current, status: next }, changed: true };
    });
  }
}

function outbound(r: Row): OutboundEmail {
  return {
    id: r.id as string,
    customerId: r.customer_id as string,
    conversationId: (r.conversation_id as string | null) ?? null,
    status: r.status as DeliveryStatus,
  };
}
