import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { MessagesModule } from '../messages/messages.module';
import { RoutingModule } from '../routing/routing.module';
import { TrackingModule } from '../tracking/tracking.module';
import { BatchContextLoader } from './batch-context.loader';
import { CampaignProgressStream } from './campaign-progress.stream';
import { CampaignFanoutService } from './campaign-fanout.service';
import { CampaignDryRunService } from './campaign-dry-run.service';
import { CampaignRecipientsRepository } from './campaign-recipients.repository';
import { CampaignsController } from './campaigns.controller';
import { CustomerCampaignsController } from './customer-campaigns.controller';
import { CustomerCampaignsRepository } from './customer-campaigns.repository';
import { CampaignsRepository } from './campaigns.repository';
import { PausedSendsRepository } from './paused-sends.repository';
import { PausedSendsService } from './paused-sends.service';
import { CampaignsService } from './campaigns.service';
import { CampaignChunkRunner } from './chunk-runner';
import { CrisisController } from './crisis/crisis.controller';
import { CrisisRepository } from './crisis/crisis.repository';
import { CrisisService } from './crisis/crisis.service';
import { RecipientPlanner } from './recipient-planner';
import { SavedSegmentsController } from './saved-segments.controller';
import { SavedSegmentsRepository } from './saved-segments.repository';
import { AuditModule } from '../audit/audit.module';
import { TemplatesModule } from '../templates/templates.module';

/** Segments, campaigns and their batched fan-out on the 'campaigns' queue. */
@Module({
  imports: [
    TemplatesModule,
    AuditModule,
    RoutingModule,
    MessagesModule,
    TrackingModule,
    AnalyticsModule,
  ],
  controllers: [
    CampaignsController,
    CrisisController,
    CustomerCampaignsController,
    SavedSegmentsController,
  ],
  providers: [
    CampaignsRepository,
    CampaignRecipientsRepository,
    CustomerCampaignsRepository,
    CampaignProgressStream,
    BatchContextLoader,
    RecipientPlanner,
    CampaignFanoutService,
    CampaignChunkRunner,
    PausedSendsRepository,
    PausedSendsService,
    CampaignsService,
    CampaignDryRunService,
    SavedSegmentsRepository,
    CrisisRepository,
    CrisisService,
  ],
  exports: [CampaignsService, CampaignFanoutService, BatchContextLoader],
})
export class CampaignsModule {}
