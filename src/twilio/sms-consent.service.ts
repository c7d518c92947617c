import { Injectable } from '@nestjs/common';
import { PURPOSES, type Purpose } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import { Transactions, type Tx } from '../database/transactions';
import { SmsConsentRepository, type KeywordChannel } from './sms-consent.repository';

export type { KeywordChannel } from './sms-consent.repository';

/** What brought an SMS keyword: the real channel or the sandbox acting as it. */
export type SmsTransport = 'twilio' | 'sandbox';

/**
 * SMS consent from keywords and Twilio's opt-out error. Decisions:
 * - STOP (and its synonyms, 退订, TD...) means no more SMS of any purpose: one 'revoked' row per
 *   purpose (transactional, service, marketing), source 'sms-keyword', the message and the
 *   transport (twilio or sandbox) as evidence.
 * - START/YES/UNSTOP/订阅 grant transactional and service again; marketing only when it had been
 *   granted before the latest revocation (an opt-in to the number is not a marketing opt-in).
 * - Twilio 21610 (the number opted out at the carrier) revokes every purpose, source 'twilio-21610'.
 * - START also makes a number marked undeliverable by a 21610 refusal active again.
 * Each change is recorded once per message (a re-run job does not write twice).
 * WhatsApp's keywords (and its 21610) do the same to WhatsApp consent (`channel` 'whatsapp').
 */
@Injectable()
export class SmsConsentService {
  constructor(
    private readonly smsConsents: SmsConsentRepository,
    private readonly transactions: Transactions,
    private readonly consents: ConsentService,
  ) {}

  /**
   * The consent change of an opt-out or opt-in keyword, whichever transport brought it (the
   * evidence names it). False when this message's change was already recorded.
   */
  async fromKeyword(
    customerId: string,
    keyword: 'optout' | 'optin',
    evidence: { messageId: string; body: string; transport: SmsTransport },
    channel: KeywordChannel = 'sms',
  ): Promise<boolean> {
    if (
      await this.smsConsents.recordedFor(
        customerId,
        'sms-keyword',
        evidence.messageId,
        undefined,
        channel,
      )
    )
      return false;
    return this.transactions.run(async (tx) => {
      // Two deliveries of one message at once: the second waits here, then finds the first's rows.
      await this.smsConsents.lockKeywordChanges(customerId, tx);
      if (
        await this.smsConsents.recordedFor(
          customerId,
          'sms-keyword',
          evidence.messageId,
          tx,
          channel,
        )
      )
        return false;
      const purposes: Purpose[] =
        keyword === 'optout' ? [...PURPOSES] : await this.restorable(customerId, tx, channel);
      const status = keyword === 'optout' ? 'revoked' : 'granted';
      for (const purpose of purposes) {
        await this.consents.record(
          {
            customerId,
            channel,
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
      return true;
    });
  }

  async fromOptOutError(
    customerId: string,
    evidence: { errorCode: string; messageId?: string },
    channel: KeywordChannel = 'sms',
  ): Promise<void> {
    if (evidence.messageId) {
      // A repeated callback.
      if (
        await this.smsConsents.recordedFor(
          customerId,
          'twilio-21610',
          evidence.messageId,
          undefined,
          channel,
        )
      )
        return;
    }
    await this.transactions.run(async (tx) => {
      for (const purpose of PURPOSES) {
        await this.consents.record(
          {
            customerId,
            channel,
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

  private async restorable(
    customerId: string,
    tx: Tx,
    channel: KeywordChannel,
  ): Promise<Purpose[]> {
    const marketing = await this.smsConsents.marketingHistory(customerId, tx, channel);
    const lastRevoked = marketing.indexOf('revoked');
    const before = lastRevoked >= 0 ? marketing[lastRevoked + 1] : marketing[0];
    return before === 'granted'
      ? ['transactional', 'service', 'marketing']
      : ['transactional', 'service'];
  }
}
