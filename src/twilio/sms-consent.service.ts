import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PURPOSES, type Purpose } from '../common/names';
import { ConsentService } from '../consent/consent.service';

/**
 * SMS consent from keywords and Twilio's opt-out error. Decisions:
 * - STOP (and its synonyms, 退订) means no more SMS of any purpose: one 'revoked' row per purpose
 *   (transactional, service, marketing), source 'sms-keyword', the message as evidence.
 * - START/YES/UNSTOP grant transactional and service again; marketing only when it had been
 *   granted before the latest revocation (an opt-in to the number is not a marketing opt-in).
 * - Twilio 21610 (the number opted out at the carrier) revokes every purpose, source 'twilio-21610'.
 * - START also makes a number marked undeliverable by a 21610 refusal active again.
 * Each change is recorded once per message (a re-run job does not write twice).
 */
@Injectable()
export class SmsConsentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly consents: ConsentService,
  ) {}

  async fromKeyword(
    customerId: string,
    keyword: 'optout' | 'optin',
    evidence: { messageId: string; body: string },
  ): Promise<void> {
    const done = (await this.db.query(
      `SELECT 1 FROM consents WHERE customer_id = $1 AND channel = 'sms' AND source = 'sms-keyword' AND evidence->>'messageId' = $2 LIMIT 1`,
      [customerId, evidence.messageId],
    )) as unknown[];
    if (done.length) return;
    const purposes: Purpose[] =
      keyword === 'optout' ? [...PURPOSES] : await this.restorable(customerId);
    const status = keyword === 'optout' ? 'revoked' : 'granted';
    await this.db.transaction(async (m) => {
      for (const purpose of purposes) {
        await this.consents.record(
          {
            customerId,
            channel: 'sms',
            purpose,
            status,
            source: 'sms-keyword',
            evidence: { ...evidence, keyword },
          },
          m,
        );
      }
      // A number refused for opting out (21610) is reachable again once the customer opts back in.
      if (keyword === 'optin') {
        await m.query(
          `UPDATE customer_identities SET status = 'active', status_reason = NULL
           WHERE customer_id = $1 AND kind = 'phone' AND status = 'undeliverable' AND status_reason LIKE '21610%'`,
          [customerId],
        );
      }
    });
  }

  async fromOptOutError(
    customerId: string,
    evidence: { errorCode: string; messageId?: string },
  ): Promise<void> {
    if (evidence.messageId) {
      const done = (await this.db.query(
        `SELECT 1 FROM consents WHERE customer_id = $1 AND channel = 'sms' AND source = 'twilio-21610' AND evidence->>'messageId' = $2 LIMIT 1`,
        [customerId, evidence.messageId],
      )) as unknown[];
      if (done.length) return; // a repeated callback
    }
    await this.db.transaction(async (m) => {
      for (const purpose of PURPOSES) {
        await this.consents.record(
          {
            customerId,
            channel: 'sms',
            purpose,
            status: 'revoked',
            source: 'twilio-21610',
            evidence,
          },
          m,
        );
      }
    });
  }

  private async restorable(customerId: string): Promise<Purpose[]> {
    const marketing = (await this.db.query(
      `SELECT status FROM consents WHERE customer_id = $1 AND channel = 'sms' AND purpose = 'marketing' ORDER BY seq DESC`,
      [customerId],
    )) as Array<{ status: string }>;
    const lastRevoked = marketing.findIndex((r) => r.status === 'revoked');
    const before = lastRevoked >= 0 ? marketing[lastRevoked + 1] : marketing[0];
    return before?.status === 'granted'
      ? ['transactional', 'service', 'marketing']
      : ['transactional', 'service'];
  }
}
