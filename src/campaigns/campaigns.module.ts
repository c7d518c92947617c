import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { MessagesModule } from '../messages/messages.module';
import { RoutingModule } from '../routing/routing.module';
import { TrackingModule } from '../tracking/tracking.module';
import { BatchContextLoader } from './batch-context.loader';
import { CampaignProgressStream } from './campaign-progress.stream';
import { CampaignFanoutService } from './campaign-fanout.service';
import { CampaignRecipientsRepository } from './campaign-recipients.repository';
import { CampaignsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';
import { CampaignChunkRunner } from './chunk-runner';
import { RecipientPlanner } from './recipient-planner';
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
  controllers: [CampaignsController],
  providers: [
    CampaignsRepository,
    CampaignRecipientsRepository,
    CampaignProgressStream,
    BatchContextLoader,
    RecipientPlanner,
    CampaignFanoutService,
    CampaignChunkRunner,
    CampaignsService,
  ],
  exports: [CampaignsService, CampaignFanoutService, BatchContextLoader],
})
export class CampaignsModule {}
