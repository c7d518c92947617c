import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../events/domain-events';
import { LivechatGateway } from './livechat.gateway';
import { LivechatRepository } from './livechat.repository';

/**
 * Agent typing indicators shown in the visitor's widget: on the 'agent.typing' domain event
 * (emitted by the inbox), or through agentTyping(customerId, typing).
 */
@Injectable()
export class LivechatTypingService implements OnModuleInit {
  constructor(
    private readonly gateway: LivechatGateway,
    private readonly events: DomainEvents,
    private readonly chats: LivechatRepository,
  ) {}

  onModuleInit(): void {
    this.events.on('agent.typing', async (e) => {
      const customerId = await this.chats.customerOfConversation(e.conversationId);
      if (customerId) await this.agentTyping(customerId, e.typing);
    });
  }

  async agentTyping(customerId: string, typing: boolean): Promise<void> {
    for (const visitorId of await this.chats.visitorsOf(customerId))
      this.gateway.typing(visitorId, typing);
  }
}
