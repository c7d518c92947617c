import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { OutboundService } from '../delivery/outbound.service';
import { DomainEvents } from '../events/domain-events';
import { LivechatRepository } from './livechat.repository';

/**
 * A chat reply that found no open tab (status 'undelivered') goes by email when the customer
 * has a deliverable address; the chat message keeps metadata.fellBackTo = 'email'.
 */
@Injectable()
export class LivechatFallbackService implements OnModuleInit {
  private readonly log = new Logger('LivechatFallback');

  constructor(
    private readonly events: DomainEvents,
    private readonly outbound: OutboundService,
    private readonly chats: LivechatRepository,
  ) {}

  onModuleInit(): void {
    this.events.on('message.status', async (e) => {
      if (e.channel === 'livechat' && e.status === 'undelivered') await this.fallBack(e.messageId);
    });
  }

  async fallBack(messageId: string): Promise<string | null> {
    const msg = await this.chats.outboundChatReply(messageId);
    if (!msg || msg.fellBackTo) return null;
    if (!(await this.chats.hasActiveEmail(msg.customerId))) return null;
    const subject = msg.conversationId
      ? await this.chats.conversationSubject(msg.conversationId)
      : null;
    const { message } = await this.outbound.send({
      customerId: msg.customerId,
      conversationId: msg.conversationId,
      channel: 'email',
      text: msg.text,
      subject: subject || 'Reply to your chat',
      purpose: 'service',
      authorId: msg.authorId,
      idempotencyKey: `livechat-fallback:${messageId}`,
      metadata: { fallbackFrom: messageId },
    });
    await this.chats.markFellBackToEmail(messageId, message.id);
    this.log.log(`chat reply ${messageId} fell back to email ${message.id}`);
    return message.id;
  }
}
