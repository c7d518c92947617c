import { Module } from '@nestjs/common';
import { CannedResponsesController } from './canned-responses.controller';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationQueryService } from './conversation-query.service';
import { ConversationsController } from './conversations.controller';
import { SnoozeJobs } from './snooze.jobs';
import { TeamsController } from './teams.controller';
import { VisibilityService } from './visibility.service';

/** The shared inbox: conversation list and view, replies, notes, status, assignment, teams, SLA, CSAT. */
@Module({
  controllers: [ConversationsController, CannedResponsesController, TeamsController],
  providers: [VisibilityService, ConversationQueryService, ConversationActionsService, SnoozeJobs],
  exports: [VisibilityService],
})
export class InboxModule {}
