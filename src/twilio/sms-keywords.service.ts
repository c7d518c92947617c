import { Injectable } from '@nestjs/common';
import { readInboundSmsKeyword } from '../../channel-adapters/sms';
import { stripWhatsappPrefix } from '../../channel-adapters/whatsapp';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { CustomersService } from '../customers/customers.service';
import { SmsConsentService, type KeywordChannel, type SmsTransport } from './sms-consent.service';
import { smsKeywordReply, smsReplyLanguage } from './sms-keyword-reply';

/** An inbound SMS on the timeline, as its keyword handling needs it. */
export interface KeywordSms {
  customerId: string;
  messageId: string;
  body: string;
  /** Twilio's Advanced Opt-Out verdict, when it sent one. */
  optOutType?: string;
  transport: SmsTransport;
  /** The channel it came on (SMS unless said): WhatsApp's keywords change WhatsApp consent. */
  channel?: KeywordChannel;
}

/**
 * SMS keywords for every transport: the Twilio webhook and its job, and the sandbox's inbound
 * SMS both come here, so a sandbox STOP or 退订 does what a real one does.
 */
@Injectable()
export class SmsKeywordService {
  constructor(
    private readonly consent: SmsConsentService,
    private readonly customers: CustomersService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The consent change of the message's opt-out or opt-in keyword; true when recorded by this
   * call (not a keyword, HELP, or a repeated message: false).
   */
  async apply(sms: KeywordSms): Promise<boolean> {
    const reading = readInboundSmsKeyword(sms.body, sms.optOutType);
    if (reading?.keyword !== 'optout' && reading?.keyword !== 'optin') return false;
    return this.consent.fromKeyword(
      sms.customerId,
      reading.keyword,
      { messageId: sms.messageId, body: sms.body, transport: sms.transport },
      sms.channel ?? 'sms',
    );
  }

  /**
   * The confirmation of the keyword `body` is, for the sender `from` (a bare or `whatsapp:` number): in Chinese for a zh*
   * customer, else in the keyword's language. Undefined when the body is no keyword or the
   * answer is configured empty.
   */
  async replyFor(from: string, body: string, optOutType?: string): Promise<string | undefined> {
    const reading = readInboundSmsKeyword(body, optOutType);
    if (!reading) return undefined;
    const locale = await this.localeOf(from);
    return smsKeywordReply(reading, smsReplyLanguage(locale, reading.language), this.config.env);
  }

  /** The sender's customer's locale; null when the number is nobody's yet (or no number). */
  private async localeOf(from: string): Promise<string | null> {
    try {
      return (await this.customers.lookup(`sms:${stripWhatsappPrefix(from)}`)).locale;
    } catch (e) {
      if (e instanceof DomainError && (e.code === 'not_found' || e.code === 'bad_request'))
        return null;
      throw e;
    }
  }
}
