import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { FeedbackInfo, ReceiptInfo } from '../../channel-adapters/email';
import type { NormalizedInbound } from '../channels/channel-port';
import { ConsentService } from '../consent/consent.service';
import { DomainEvents } from '../events/domain-events';
import { InboundService } from '../ingest/inbound.service';
import type { IngestResult } from '../ingest/ingest.service';
import { EmailReportsRepository } from './email-reports.repository';

/**
 * Spam complaints and read receipts, once on the timeline of the customer they are about:
 * a complaint (ARF, RFC 5965) revokes that customer's marketing e-mail consent with the report
 * as evidence (a mailbox provider's feedback loop is a legal opt-out, whatever its type says
 * beyond "not-spam"); a receipt (RFC 8098) saying "displayed" marks the message it names read.
 */
@Injectable()
export class EmailFeedbackHook implements OnModuleInit {
  private readonly log = new Logger('EmailFeedback');

  constructor(
    private readonly inbound: InboundService,
    private readonly consent: ConsentService,
    private readonly reports: EmailReportsRepository,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.inbound.addHook((inbound, result) => this.onInbound(inbound, result));
  }

  async onInbound(inbound: NormalizedInbound, result: IngestResult): Promise<void> {
    if (inbound.channel !== 'email') return;
    const meta = inbound.metadata ?? {};
    const feedback = meta.feedback as FeedbackInfo | undefined;
    if (feedback && feedback.feedbackType !== 'not-spam')
      await this.complaint(feedback, inbound, result);
    const receipt = meta.receipt as ReceiptInfo | undefined;
    if (receipt?.read && receipt.originalMessageId) await this.read(receipt.originalMessageId);
  }

  private async complaint(
    feedback: FeedbackInfo,
    inbound: NormalizedInbound,
    result: IngestResult,
  ): Promise<void> {
    await this.consent.record({
      customerId: result.customerId,
      channel: 'email',
      purpose: 'marketing',
      status: 'revoked',
      source: 'email-feedback-report',
      evidence: {
        report: 'arf',
        feedbackType: feedback.feedbackType,
        complainant: feedback.complainant ?? null,
        reportedBy: (inbound.metadata?.reportedBy as string | undefined) ?? null,
        reportMessageId: inbound.providerMessageId,
        timelineMessageId: result.message.id,
        ...(feedback.originalMessageId ? { originalMessageId: feedback.originalMessageId } : {}),
        ...(feedback.userAgent ? { userAgent: feedback.userAgent } : {}),
        ...(feedback.sourceIp ? { sourceIp: feedback.sourceIp } : {}),
        ...(feedback.arrivalDate ? { arrivalDate: feedback.arrivalDate } : {}),
      },
    });
    this.log.log(
      `complaint (${feedback.feedbackType}): marketing e-mail consent of customer ${result.customerId} revoked`,
    );
  }

  private async read(originalMessageId: string): Promise<void> {
    const marked = await this.reports.markRead(originalMessageId);
    if (!marked?.changed) return;
    this.events.emit('message.status', {
      messageId: marked.message.id,
      status: marked.message.status,
      customerId: marked.message.customerId,
      conversationId: marked.message.conversationId,
      channel: 'email',
      errorCode: null,
    });
  }
}
