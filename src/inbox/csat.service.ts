import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Channel } from '../common/names';
import { OutboundService } from '../delivery/outbound.service';
import { DomainEvents } from '../events/domain-events';
import { InboundService } from '../ingest/inbound.service';
import { ConversationActionsService } from './conversation-actions.service';
import { CsatRepository } from './csat.repository';
import { csatRating } from './csat-score';
import { csatQuestion } from './csat-question';
import { csatSubject } from './csat-subject';
import { TemplateEngine } from '../templates/template-engine';

export { CSAT_QUESTION } from './csat-question';

/**
 * On resolve, one rating request on the conversation's channel, in the customer's language
 * (templates/csat-request; by e-mail with a subject in that language: csatSubject); a rating reply is recorded as the score (with what the
 * customer wrote after it as the comment). Never to mailing-list mail (metadata.mailingList):
 * nothing is answered automatically there.
 */
@Injectable()
export class CsatService implements OnModuleInit {
  private readonly log = new Logger('Csat');

  constructor(
    private readonly repo: CsatRepository,
    private readonly events: DomainEvents,
    private readonly outbound: OutboundService,
    private readonly inbound: InboundService,
    private readonly actions: ConversationActionsService,
    private readonly templates: TemplateEngine,
  ) {}

  onModuleInit(): void {
    this.events.on('conversation.updated', async ({ conversation }) => {
      if (conversation.status === 'resolved') await this.request(conversation.id);
    });
    this.inbound.addHook(async (msg, result) => {
      if (result.conversation && msg.kind !== 'call')
        await this.record(result.conversation.id, result.message.id, msg.text ?? '');
    });
  }

  async request(conversationId: string): Promise<void> {
    const conv = await this.repo.markRequested(conversationId);
    if (!conv) return;
    try {
      const channel = conv.lastInboundChannel as Channel;
      const topic = channel === 'email' ? await this.outbound.emailTopicOf(conversationId) : null;
      const customer = await this.repo.recipientOf(conv.customerId);
      const asked = csatQuestion(this.templates, channel, customer);
      await this.outbound.send({
        customerId: conv.customerId,
        conversationId,
        channel,
        ...(topic ? { subject: csatSubject(topic.subject, topic.locale) } : {}),
        text: asked.text,
        ...(asked.html ? { html: asked.html } : {}),
        template: 'csat-request',
        purpose: 'service',
        metadata: { csat: true, conversationId },
      });
    } catch (e) {
      this.log.warn(`no CSAT request for conversation ${conversationId}: ${(e as Error).message}`);
    }
  }

  async record(conversationId: string, messageId: string, text: string): Promise<void> {
    const rating = csatRating(text);
    if (rating === null) return;
    const conv = await this.repo.recordScore(conversationId, messageId, rating);
    if (!conv) return;
    await this.actions.publish(conv);
    this.events.emit('csat.received', {
      conversationId,
      customerId: conv.customerId,
      messageId,
      rating: rating.score,
    });
  }
}
