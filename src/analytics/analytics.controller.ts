import { Controller, Get, Header, HttpCode, Post, Res } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiZodBody, ApiZodResponse, ZodBody, ZodQuery } from '../common/http/zod-body';
import {
  ConversionResponse,
  CsatResponsesResponse,
  CsatTrendResponse,
  CustomerRfmResponse,
  RfmRecomputeResponse,
  RfmTiersResponse,
  ServiceKpisResponse,
} from './analytics.responses';
import { CampaignStatsService } from './campaign-stats.service';
import { ConversionsService, conversionSchema, type ConversionInput } from './conversions.service';
import { RfmService } from './rfm.service';
import { csatCsv, serviceCsv } from './report-csv';
import {
  csatQuerySchema,
  csatResponsesQuerySchema,
  kpiQuerySchema,
  ServiceKpisService,
  type CsatQuery,
  type CsatResponsesQuery,
  type KpiQuery,
} from './service-kpis.service';

const CSV = 'text/csv; charset=utf-8';
const exportWindowSchema = kpiQuerySchema.omit({ by: true });

/** A download name with the window's dates: `service-agent-2026-11-03-2026-12-03.csv`. */
function attachment(res: FastifyReply, name: string, from: string, to: string): void {
  void res.header(
    'Content-Disposition',
    `attachment; filename="${name}-${from.slice(0, 10)}-${to.slice(0, 10)}.csv"`,
  );
}

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
  @ApiOperation({ summary: 'Record a conversion (attributed to campaigns and messages)' })
  @ApiZodBody(conversionSchema)
  @ApiZodResponse(201, 'The conversion, recorded now', ConversionResponse)
  @ApiZodResponse(200, 'The conversion already recorded for this orderId', ConversionResponse)
  async convert(
    @ZodBody(conversionSchema) body: ConversionInput,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { created, conversion } = await this.conversions.record(body);
    void res.status(created ? 201 : 200);
    return conversion;
  }

  @Post('analytics/rfm/recompute')
  @ApiOperation({ summary: 'Recompute the RFM tiers now' })
  @ApiZodResponse(200, 'How many customers were scored', RfmRecomputeResponse)
  @HttpCode(200)
  async recompute() {
    return { customers: await this.rfm.recompute() };
  }

  @Get('analytics/rfm/tiers')
  @ApiOperation({ summary: 'Customers per RFM tier' })
  @ApiZodResponse(200, 'Customers and churn risks per tier', RfmTiersResponse)
  tiers() {
    return this.rfm.tiers();
  }

  @Get('analytics/customers/:id')
  @ApiOperation({ summary: "A customer's RFM scores and tier" })
  @ApiZodResponse(200, 'The scores', CustomerRfmResponse)
  customer(@IdParam() id: string) {
    return this.rfm.forCustomer(id);
  }

  @Get('analytics/service')
  @ApiOperation({
    summary: 'Service KPIs per channel, agent or team (with names) over a window',
    description:
      'Conversations opened in [from, to) (default: the last 30 days), grouped by `by`. Each group has its `key` (channel, user id or team id; `unassigned`/`none`) and its `name` (the agent or team name; null for none).',
  })
  @ApiZodResponse(200, 'The KPIs per group', ServiceKpisResponse)
  service(@ZodQuery(kpiQuerySchema) q: KpiQuery) {
    return this.kpis.kpis(q);
  }

  @Get('analytics/service.csv')
  @ApiOperation({
    summary: 'Service KPIs as CSV (UTF-8 with BOM, formula cells escaped)',
    description: 'The same groups as GET /api/v1/analytics/service, one row each, by name.',
  })
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description: 'The CSV file (an attachment)',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @Header('Content-Type', CSV)
  async serviceCsv(
    @ZodQuery(kpiQuerySchema) q: KpiQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const report = await this.kpis.kpis(q);
    attachment(res, `service-${report.by}`, report.from, report.to);
    return serviceCsv(report.by, report.groups);
  }

  @Get('analytics/csat')
  @ApiOperation({ summary: 'Average CSAT per week over the last `weeks` weeks' })
  @ApiZodResponse(200, 'The weeks, oldest first', CsatTrendResponse)
  csat(@ZodQuery(csatQuerySchema) q: CsatQuery) {
    return this.kpis.csatTrend(q);
  }

  @Get('analytics/csat/responses')
  @ApiOperation({
    summary: 'CSAT answers with their comments, newest first, a page at a time',
    description:
      'Ratings given in [from, to) (default: the last 30 days) with the comment the customer wrote after the score, the customer, agent and team names. `page` from 1, `pageSize` up to 100; `total` counts the window.',
  })
  @ApiZodResponse(200, 'A page of answers', CsatResponsesResponse)
  csatResponses(@ZodQuery(csatResponsesQuerySchema) q: CsatResponsesQuery) {
    return this.kpis.csatResponses(q);
  }

  @Get('analytics/csat/responses.csv')
  @ApiOperation({
    summary: 'CSAT answers with comments as CSV (UTF-8 with BOM, formula cells escaped)',
  })
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description: 'The CSV file (an attachment)',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @Header('Content-Type', CSV)
  async csatResponsesCsv(
    @ZodQuery(exportWindowSchema) q: Omit<KpiQuery, 'by'>,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { from, to, items } = await this.kpis.allCsatResponses(q);
    attachment(res, 'csat-responses', from, to);
    return csatCsv(items);
  }
}
