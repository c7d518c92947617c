import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiZodBody, ZodBody, ZodQuery } from '../common/http/zod-body';
import { CampaignStatsService } from './campaign-stats.service';
import { ConversionsService, conversionSchema, type ConversionInput } from './conversions.service';
import { RfmService } from './rfm.service';
import {
  csatQuerySchema,
  kpiQuerySchema,
  ServiceKpisService,
  type CsatQuery,
  type KpiQuery,
} from './service-kpis.service';

/** Campaign stats, conversions, RFM tiers and service KPIs. */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('api/v1')
export class AnalyticsController {
  constructor(
    private readonly stats: CampaignStatsService,
    private readonly conversions: ConversionsService,
    private readonly rfm: RfmService,
    private readonly kpis: ServiceKpisService,
  ) {}

  @Post('conversions')
  @ApiZodBody(conversionSchema)
  async convert(
    @ZodBody(conversionSchema) body: ConversionInput,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { created, conversion } = await this.conversions.record(body);
    void res.status(created ? 201 : 200);
    return conversion;
  }

  @Post('analytics/rfm/recompute')
  @HttpCode(200)
  async recompute() {
    return { customers: await this.rfm.recompute() };
  }

  @Get('analytics/rfm/tiers')
  tiers() {
    return this.rfm.tiers();
  }

  @Get('analytics/customers/:id')
  customer(@IdParam() id: string) {
    return this.rfm.forCustomer(id);
  }

  @Get('analytics/service')
  service(@ZodQuery(kpiQuerySchema) q: KpiQuery) {
    return this.kpis.kpis(q);
  }

  @Get('analytics/csat')
  csat(@ZodQuery(csatQuerySchema) q: CsatQuery) {
    return this.kpis.csatTrend(q);
  }
}
