import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import { preparedQuery } from '../common/prepared-query';
import { URGENCIES } from '../common/names';
import { AppConfig } from '../config/app-config';
import type { ConversationView, MessageView } from '../conversations/views';
import { DomainEvents } from '../events/domain-events';
import { ConversationActionsService } from './conversation-actions.service';
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
    (asks: Raise[]) => this.raiseAll(`c.id = v.key`, asks),
    { delayMs: RAISE_GATHER_MS },
  );
  private readonly byCustomer = new Coalescer(
    (asks: Raise[]) => this.raiseAll(`c.customer_id = v.key AND c.status <> 'resolved'`, asks),
    { delayMs: RAISE_GATHER_MS },
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
    const [top] = await preparedQuery<{ urgency: string }>(
      this.db,
      `SELECT urgency FROM messages
       WHERE customer_id = $1 AND direction = 'outbound' AND kind = 'message' AND urgency IN ('high', 'critical')
         AND created_at > now() - make_interval(hours => $3)
       ORDER BY array_position($2::text[], urgency) DESC LIMIT 1`,
      [conversation.customerId, URGENCIES, this.config.env.CONVERSATION_REOPEN_HOURS],
    );
    const urgency = top
      ? raisedPriority(
          conversation.priority,
          urgencyOf({ direction: 'outbound', kind: 'message', urgency: top.urgency }),
        )
      : null;
    if (urgency) await this.byConversation.submit({ key: conversation.id, urgency });
  }

  /**
   * One statement: raises only when higher, so concurrent messages cannot lower it; several
   * asks for one conversation count as the highest of them.
   */
  private async raiseAll(where: string, asks: Raise[]): Promise<void[]> {
    const rows = await preparedQuery(
      this.db,
      `UPDATE conversations c SET priority = v.urgency, updated_at = now()
       FROM (SELECT DISTINCT ON (key) key, urgency FROM unnest($1::uuid[], $2::text[]) AS a(key, urgency)
             ORDER BY key, array_position($3::text[], urgency) DESC) v
       WHERE ${where} AND array_position($3::text[], c.priority) < array_position($3::text[], v.urgency)
       RETURNING c.*`,
      [asks.map((a) => a.key), asks.map((a) => a.urgency), URGENCIES],
    );
    for (const row of rows) await this.actions.publish(row);
    return asks.map(() => undefined);
  }
}

interface Raise {
  key: string;
  urgency: string;
}
