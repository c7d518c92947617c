import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ConsentStatus } from '../common/names';
import type { Tx } from '../database/transactions';

/** The channels whose STOP/START keywords change consent: SMS, and WhatsApp (same keywords). */
export type KeywordChannel = 'sms' | 'whatsapp';

/** The reads of SMS keyword and opt-out handling, and the phone number an opt-in reactivates. */
@Injectable()
export class SmsConsentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether a consent change of the channel (SMS unless said) from `source` already names this message as its evidence. */
  async recordedFor(
    customerId: string,
    source: string,
    messageId: string,
    tx?: Tx,
    channel: KeywordChannel = 'sms',
  ): Promise<boolean> {
    const done = (await (tx ?? this.db).query(
      `SELECT 1 FROM consents WHERE customer_id = $1 AND channel = $4 AND source = $3 AND evidence->>'messageId' = $2 LIMIT 1`,
      [customerId, messageId, source, channel],
    )) as unknown[];
    return done.length > 0;
  }

  /** Serializes SMS keyword changes of one customer until `tx` ends (a repeated message waits, then sees the first). */
  async lockKeywordChanges(customerId: string, tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `sms-keyword:${customerId}`,
    ]);
  }

  /** The customer's marketing consent statuses on the channel (SMS unless said), newest first. */
  async marketingHistory(
    customerId: string,
    tx?: Tx,
    channel: KeywordChannel = 'sms',
  ): Promise<ConsentStatus[]> {
    const rows = (await (tx ?? this.db).query(
      `SELECT status FROM consents WHERE customer_id = $1 AND channel = $2 AND purpose = 'marketing' ORDER BY seq DESC`,
      [customerId, channel],
    )) as Array<{ status: ConsentStatus }>;
    return rows.map((r) => r.status);
  }

  /** Phone numbers refused for opting out (Twilio 21610) become active again. */
  async reactivateOptedOut(customerId: string, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE customer_identities SET status = 'active', status_reason = NULL
       WHERE customer_id = $1 AND kind = 'phone' AND status = 'undeliverable' AND status_reason LIKE '21610%'`,
      [customerId],
    );
  }
}
