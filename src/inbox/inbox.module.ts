import { Module } from '@nestjs/common';
import { CannedResponsesController } from './canned-responses.controller';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationQueryService } from './conversation-query.service';
import { ConversationsController } from './conversations.controller';
import { AssignmentService } from './assignment.service';
import { CsatService } from './csat.service';
import { FollowUpsService } from './follow-ups.service';
import { PriorityService } from './priority.service';
import { SlaPoliciesController } from './sla-policies.controller';
import { SlaService } from './sla.service';
import { SnoozeJobs } from './snooze.jobs';
import { TeamsController } from './teams.controller';
import { VisibilityService } from './visibility.service';
import { AuditModule } from '../audit/audit.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { IngestModule } from '../ingest/ingest.module';

/** The shared inbox: conversation list and view, replies, notes, status, assignment, teams, SLA, CSAT. */
@Module({
  imports: [IngestModule, DeliveryModule, AuditModule],
  controllers: [
    ConversationsController,
    CannedResponsesController,
    TeamsController,
    SlaPoliciesController,
  ],
  providers: [
    VisibilityService,
    ConversationQueryService,
    ConversationActionsService,
    SnoozeJobs,
    AssignmentService,
    SlaService,
    CsatService,
    FollowUpsService,
    PriorityService,
  ],
  exports: [VisibilityService],
})
export class InboxModule {}
