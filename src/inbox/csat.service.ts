import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Channel } from '../common/names';
import { OutboundService } from '../delivery/outbound.service';
import { DomainEvents } from '../events/domain-events';
import { InboundService } from '../ingest/inbound.service';
import { ConversationActionsService } from './conversation-actions.service';
import { CsatRepository } from './csat.repository';
import { csatScore } from './csat-score';

export const CSAT_QUESTION = 'How did we do? Reply 1-5 (5 = great) · 请回复 1-5 或 满意 / 不满意';

/**
 * On resolve, one rating request on the conversation's channel; a rating reply is recorded as the
 * score. Never to mailing-list mail (metadata.mailingList): nothing is answered automatically there.
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
      await this.outbound.send({
        customerId: conv.customerId,
        conversationId,
        channel: conv.lastInboundChannel as Channel,
        text: CSAT_QUESTION,
        purpose: 'service',
        metadata: { csat: true, conversationId },
      });
    } catch (e) {
      this.log.warn(`no CSAT request for conversation ${conversationId}: ${(e as Error).message}`);
    }
  }

  async record(conversationId: string, messageId: string, text: string): Promise<void> {
    const score = csatScore(text);
    if (score === null) return;
    const conv = await this.repo.recordScore(conversationId, messageId, score);
    if (conv) await this.actions.publish(conv);
  }
}
