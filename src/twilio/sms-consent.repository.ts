import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ConsentStatus } from '../common/names';
import type { Tx } from '../database/transactions';

/** The reads of SMS keyword and opt-out handling, and the phone number an opt-in reactivates. */
@Injectable()
export class SmsConsentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether an SMS consent change from `source` already names this message as its evidence. */
  async recordedFor(customerId: string, source: string, messageId: string): Promise<boolean> {
    const done = (await this.db.query(
      `SELECT 1 FROM consents WHERE customer_id = $1 AND channel = 'sms' AND source = $3 AND evidence->>'messageId' = $2 LIMIT 1`,
      [customerId, messageId, source],
    )) as unknown[];
    return done.length > 0;
  }

  /** The customer's SMS marketing consent statuses, newest first. */
  async marketingHistory(customerId: string): Promise<ConsentStatus[]> {
    const rows = (await this.db.query(
      `SELECT status FROM consents WHERE customer_id = $1 AND channel = 'sms' AND purpose = 'marketing' ORDER BY seq DESC`,
      [customerId],
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
