import { Injectable } from '@nestjs/common';
import { JobHandler } from '../queue/job-handler.decorator';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationsRepository } from './conversations.repository';

/** Reopens a snoozed conversation at its time (unless it was woken or re-snoozed meanwhile). */
@Injectable()
export class SnoozeJobs {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly actions: ConversationActionsService,
  ) {}

  @JobHandler('timers', 'conversation.wake')
  async wake(payload: Record<string, unknown>): Promise<void> {
    const woken = await this.conversations.wake(
      payload.conversationId as string,
      payload.until as string,
    );
    if (woken) await this.actions.publish(woken);
  }
}
