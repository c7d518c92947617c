import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { CampaignStatsService } from './campaign-stats.service';
import { ConversionsService } from './conversions.service';
import { RfmService } from './rfm.service';
import { ServiceKpisService } from './service-kpis.service';

/** Communication analytics: campaign stats, conversions, RFM tiers and churn risk, service KPIs. */
@Module({
  controllers: [AnalyticsController],
  providers: [CampaignStatsService, ConversionsService, RfmService, ServiceKpisService],
  exports: [CampaignStatsService, RfmService],
})
export class AnalyticsModule {}
