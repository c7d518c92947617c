import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Coalescer } from '../common/coalescer';
import { AppConfig } from '../config/app-config';
import type { ConversationView, MessageView } from '../common/views';
import { DomainEvents } from '../events/domain-events';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationsRepository, type PriorityRaise } from './conversations.repository';
import { raisedPriority, urgencyOf } from './priority';

const RAISE_GATHER_MS = 50;

/**
 * Priority from urgency: a conversation's priority follows the highest urgency of its messages.
 * A routed message outside any conversation raises the customer's active one; a new conversation
 * starts at the highest urgency the hub sent the customer within the reopen window (an answer to
 * an urgent notice is urgent). Only ever raised here; agents may set it by hand.
 */
@Injectable()
export class PriorityService implements OnModuleInit {
  /**
   * Raises (by conversation, or of a customer's active one) gathered for a moment share one
   * statement: nobody waits on them, and most change nothing.
   */
  private readonly byConversation = new Coalescer(
    (asks: PriorityRaise[]) => this.raiseAll('conversation', asks),
    { delayMs: RAISE_GATHER_MS },
  );
  private readonly byCustomer = new Coalescer(
    (asks: PriorityRaise[]) => this.raiseAll('customer', asks),
    { delayMs: RAISE_GATHER_MS },
  );

  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly events: DomainEvents,
    private readonly actions: ConversationActionsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.on('message.created', ({ message, conversation }) =>
      this.onMessage(message, conversation),
    );
    this.events.on('conversation.created', ({ conversation, newCustomer }) =>
      // Nothing was sent to a customer who did not exist until this message.
      newCustomer ? undefined : this.onNewConversation(conversation),
    );
  }

  async onMessage(message: MessageView, conversation: ConversationView | null): Promise<void> {
    const urgency = urgencyOf(message);
    if (!urgency) return;
    // Most messages change nothing: skip the round trip when the event already says so.
    if (
      conversation &&
      conversation.id === message.conversationId &&
      !raisedPriority(conversation.priority, urgency)
    )
      return;
    if (message.conversationId)
      await this.byConversation.submit({ key: message.conversationId, urgency });
    else if (message.direction === 'outbound')
      await this.byCustomer.submit({ key: message.customerId, urgency });
  }

  private async onNewConversation(conversation: ConversationView): Promise<void> {
    const top = await this.conversations.topRecentUrgency(
      conversation.customerId,
      this.config.env.CONVERSATION_REOPEN_HOURS,
    );
    const urgency = top
      ? raisedPriority(
          conversation.priority,
          urgencyOf({ direction: 'outbound', kind: 'message', urgency: top }),
        )
      : null;
    if (urgency) await this.byConversation.submit({ key: conversation.id, urgency });
  }

  /**
   * One statement: raises only when higher, so concurrent messages cannot lower it; several
   * asks for one conversation count as the highest of them.
   */
  private async raiseAll(by: 'conversation' | 'customer', asks: PriorityRaise[]): Promise<void[]> {
    const raised = await this.conversations.raisePriorities(by, asks);
    for (const conv of raised) await this.actions.publish(conv);
    return asks.map(() => undefined);
  }
}
