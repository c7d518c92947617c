import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationQueryService } from './conversation-query.service';
import {
  ConversationsRepository,
  isOtherActiveConversation,
  type InboxConversation,
} from './conversations.repository';
import { FollowUpsRepository } from './follow-ups.repository';

/** "Call back Thursday": at its time the conversation reopens, assigned to the agent, who is notified. */
@Injectable()
export class FollowUpsService {
  private readonly log = new Logger('FollowUps');

  constructor(
    private readonly followUps: FollowUpsRepository,
    private readonly conversations: ConversationsRepository,
    private readonly query: ConversationQueryService,
    private readonly actions: ConversationActionsService,
    private readonly queue: JobQueueService,
    private readonly events: DomainEvents,
  ) {}

  async schedule(user: AuthUser, conversationId: string, at: string, note: string) {
    await this.query.visibleRow(user, conversationId);
    const when = new Date(at);
    if (when.getTime() <= Date.now())
      throw new DomainError('bad_request', 'at: must be in the future');
    const followUp = await this.followUps.insert(conversationId, user.id, when, note);
    await this.queue.enqueue({
      queue: 'timers',
      name: 'follow_up.due',
      payload: { followUpId: followUp.id },
      dedupeKey: `followup:${followUp.id}`,
      runAt: when,
    });
    return followUp;
  }

  async list(user: AuthUser, conversationId: string) {
    await this.query.visibleRow(user, conversationId);
    return { items: await this.followUps.ofConversation(conversationId) };
  }

  @JobHandler('timers', 'follow_up.due')
  async due(payload: Record<string, unknown>): Promise<void> {
    const f = await this.followUps.markDone(payload.followUpId as string);
    if (!f) return;
    let conv: InboxConversation | null = null;
    try {
      conv = await this.conversations.reopenFor(f.conversationId, f.agentId);
    } catch (e) {
      if (!isOtherActiveConversation(e)) throw e;
      // The customer has another active conversation: notify without reopening this one.
      this.log.log(
        `follow-up ${f.id} due: conversation ${f.conversationId} stays closed, the customer has another active one`,
      );
    }
    if (conv) await this.actions.publish(conv);
    this.events.emit('follow_up.due', {
      followUpId: f.id,
      agentId: f.agentId,
      conversationId: f.conversationId,
      note: f.note,
    });
  }
}
