import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { CampaignStatsRepository } from './campaign-stats.repository';
import { CampaignStatsService } from './campaign-stats.service';
import { CsatResponsesRepository } from './csat-responses.repository';
import { ConversionsRepository } from './conversions.repository';
import { ConversionsService } from './conversions.service';
import { RfmRepository } from './rfm.repository';
import { RfmService } from './rfm.service';
import { ServiceKpisRepository } from './service-kpis.repository';
import { ServiceKpisService } from './service-kpis.service';

/** Communication analytics: campaign stats, conversions, RFM tiers and churn risk, service KPIs. */
@Module({
  controllers: [AnalyticsController],
  providers: [
    CampaignStatsRepository,
    CampaignStatsService,
    ConversionsRepository,
    ConversionsService,
    CsatResponsesRepository,
    RfmRepository,
    RfmService,
    ServiceKpisRepository,
    ServiceKpisService,
  ],
  exports: [CampaignStatsService, RfmService],
})
export class AnalyticsModule {}
