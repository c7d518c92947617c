import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { readInboundSmsKeyword } from '../../channel-adapters/sms';
import { ChannelRegistry } from '../channels/channel-registry';
import { normalizeSender } from '../customers/address';
import type { IngestResult } from '../ingest/ingest.service';
import type { KeywordChannel } from '../twilio/sms-consent.service';
import { SmsKeywordService } from '../twilio/sms-keywords.service';

/**
 * An SMS (or WhatsApp message) the sandbox received gets what a real one gets from the Twilio webhook and its job:
 * the keyword's consent change (same service, evidence transport 'sandbox') and the
 * confirmation, sent through the sandbox SMS transport where Twilio would carry the TwiML answer.
 */
@Injectable()
export class SandboxSmsKeywords {
  private readonly log = new Logger('SandboxSms');

  constructor(
    private readonly keywords: SmsKeywordService,
    private readonly channels: ChannelRegistry,
  ) {}

  async afterInbound(
    result: IngestResult,
    from: string,
    text: string,
    channel: KeywordChannel = 'sms',
  ): Promise<void> {
    const recorded = await this.keywords.apply({
      customerId: result.customerId,
      messageId: result.message.id,
      body: text,
      transport: 'sandbox',
      channel,
    });
    // A consent keyword is confirmed by the delivery that recorded its change: of two deliveries
    // at once the repeated one may get there first, and then the first must not confirm again.
    // Any other keyword (HELP) is answered on its first delivery.
    const keyword = readInboundSmsKeyword(text)?.keyword;
    const changesConsent = keyword === 'optout' || keyword === 'optin';
    if (changesConsent ? !recorded : !result.created) return;
    const reply = await this.keywords.replyFor(from, text);
    if (!reply) return;
    await this.channels
      .get(channel)
      .send({
        messageId: randomUUID(),
        channel,
        to: normalizeSender(channel, from).address,
        text: reply,
        metadata: { inReplyTo: result.message.id },
      })
      .catch((e: unknown) => {
        // The consent change stands; a lost confirmation is only logged, as Twilio would drop it.
        this.log.warn(
          `keyword confirmation not sent: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
  }
}
