import { Injectable } from '@nestjs/common';
import { PURPOSES, type Purpose } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import { Transactions } from '../database/transactions';
import { SmsConsentRepository } from './sms-consent.repository';

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
    private readonly smsConsents: SmsConsentRepository,
    private readonly transactions: Transactions,
    private readonly consents: ConsentService,
  ) {}

  async fromKeyword(
    customerId: string,
    keyword: 'optout' | 'optin',
    evidence: { messageId: string; body: string },
  ): Promise<void> {
    if (await this.smsConsents.recordedFor(customerId, 'sms-keyword', evidence.messageId)) return;
    const purposes: Purpose[] =
      keyword === 'optout' ? [...PURPOSES] : await this.restorable(customerId);
    const status = keyword === 'optout' ? 'revoked' : 'granted';
    await this.transactions.run(async (tx) => {
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
          tx,
        );
      }
      // A number refused for opting out (21610) is reachable again once the customer opts back in.
      if (keyword === 'optin') await this.smsConsents.reactivateOptedOut(customerId, tx);
    });
  }

  async fromOptOutError(
    customerId: string,
    evidence: { errorCode: string; messageId?: string },
  ): Promise<void> {
    if (evidence.messageId) {
      // A repeated callback.
      if (await this.smsConsents.recordedFor(customerId, 'twilio-21610', evidence.messageId))
        return;
    }
    await this.transactions.run(async (tx) => {
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
          tx,
        );
      }
    });
  }

  private async restorable(customerId: string): Promise<Purpose[]> {
    const marketing = await this.smsConsents.marketingHistory(customerId);
    const lastRevoked = marketing.indexOf('revoked');
    const before = lastRevoked >= 0 ? marketing[lastRevoked + 1] : marketing[0];
    return before === 'granted'
      ? ['transactional', 'service', 'marketing']
      : ['transactional', 'service'];
  }
}
