import { TemplatesModule } from '../templates/templates.module';
import { Module } from '@nestjs/common';
import { EmailInboxesController } from './email-inboxes.controller';
import { CannedResponsesController } from './canned-responses.controller';
import { CannedResponsesRepository } from './canned-responses.repository';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationBulkService } from './conversation-bulk.service';
import { ConversationQueryService } from './conversation-query.service';
import { ConversationsController } from './conversations.controller';
import { AssignmentRepository } from './assignment.repository';
import { AssignmentService } from './assignment.service';
import { ConversationDetailRepository } from './conversation-detail.repository';
import { ConversationSearchRepository } from './conversation-search.repository';
import { ConversationsRepository } from './conversations.repository';
import { CsatRepository } from './csat.repository';
import { CsatService } from './csat.service';
import { FollowUpsRepository } from './follow-ups.repository';
import { FollowUpsService } from './follow-ups.service';
import { PriorityService } from './priority.service';
import { SlaPoliciesController } from './sla-policies.controller';
import { SlaPoliciesRepository } from './sla-policies.repository';
import { SlaRepository } from './sla.repository';
import { SlaService } from './sla.service';
import { SnoozeJobs } from './snooze.jobs';
import { TeamViewController } from './team-view.controller';
import { TeamViewRepository } from './team-view.repository';
import { TeamViewService } from './team-view.service';
import { TeamsController } from './teams.controller';
import { TeamsRepository } from './teams.repository';
import { ConversationsModule } from '../conversations/conversations.module';
import { AuditModule } from '../audit/audit.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { IngestModule } from '../ingest/ingest.module';

/** The shared inbox: conversation list and view, replies, notes, status, assignment, teams, SLA, CSAT. */
@Module({
  imports: [ConversationsModule, IngestModule, DeliveryModule, AuditModule, TemplatesModule],
  controllers: [
    ConversationsController,
    EmailInboxesController,
    CannedResponsesController,
    TeamsController,
    SlaPoliciesController,
    TeamViewController,
  ],
  providers: [
    ConversationQueryService,
    ConversationActionsService,
    ConversationBulkService,
    SnoozeJobs,
    AssignmentService,
    SlaService,
    CsatService,
    FollowUpsService,
    PriorityService,
    TeamViewService,
    TeamViewRepository,
    ConversationsRepository,
    ConversationSearchRepository,
    ConversationDetailRepository,
    AssignmentRepository,
    SlaRepository,
    CsatRepository,
    FollowUpsRepository,
    CannedResponsesRepository,
    TeamsRepository,
    SlaPoliciesRepository,
  ],
  exports: [ConversationActionsService, ConversationQueryService],
})
export class InboxModule {}
