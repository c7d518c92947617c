import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { BounceInfo } from '../../channel-adapters/email';
import type { NormalizedInbound } from '../channels/channel-port';
import { DomainEvents } from '../events/domain-events';
import { InboundService } from '../ingest/inbound.service';
import { EmailReportsRepository } from './email-reports.repository';

/**
 * Delivery status notifications (RFC 3464 reports and the plain-text bounces of Gmail, qmail,
 * Exchange...): a permanent bounce marks every failed address 'bounced' with its reason (routing
 * and sends skip it) and fails the outbound message it reports on, with the status code.
 */
@Injectable()
export class EmailBounceHook implements OnModuleInit {
  private readonly log = new Logger('EmailBounce');

  constructor(
    private readonly inbound: InboundService,
    private readonly reports: EmailReportsRepository,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.inbound.addHook((inbound) => this.onInbound(inbound));
  }

  async onInbound(inbound: NormalizedInbound): Promise<void> {
    if (inbound.channel !== 'email') return;
    const bounce = inbound.metadata?.bounce as BounceInfo | undefined;
    if (!bounce?.recipient) return;
    const code = bounce.status || bounce.action || 'bounce';
    for (const r of bounce.recipients ?? [bounce]) {
      if (!r.permanent) continue;
      const rCode = r.status || r.action || 'bounce';
      await this.reports.markBounced(
        r.recipient,
        `bounce ${rCode}${r.diagnostic ? `: ${r.diagnostic}` : ''}`,
      );
    }
    if (!bounce.originalMessageId || !bounce.permanent) return;
    const msg = await this.reports.failOutbound(bounce.originalMessageId, code, bounce);
    if (!msg) return;
    this.log.warn(`message ${msg.id} bounced: ${code}`);
    this.events.emit('message.status', {
      messageId: msg.id,
      status: 'failed',
      customerId: msg.customerId,
      conversationId: msg.conversationId,
      channel: 'email',
      errorCode: code,
    });
  }
}
