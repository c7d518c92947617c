import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CampaignStatsService } from '../analytics/campaign-stats.service';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodBody, ApiZodResponse, ZodBody, ZodQuery } from '../common/http/zod-body';
import { createCampaignSchema, previewSegmentSchema, type CreateCampaign } from './campaign.dto';
import {
  CampaignListResponse,
  CampaignResponse,
  CampaignStatsResponse,
  campaignStatsQuerySchema,
  SegmentCountResponse,
  type CampaignStatsQuery,
} from './campaign-responses';
import { CampaignProgressStream } from './campaign-progress.stream';
import { CampaignsService } from './campaigns.service';
import { CampaignDryRunService } from './campaign-dry-run.service';
import { DryRunResponse, dryRunQuerySchema, type DryRunQuery } from './dry-run.responses';
import { launchSchema, type LaunchBody } from './crisis/crisis.dto';
import type { Segment } from './segment';

/** Campaigns for marketers: create, preview a segment, launch, pause, resume, cancel, stats. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly stats: CampaignStatsService,
    private readonly progress: CampaignProgressStream,
    private readonly dryRuns: CampaignDryRunService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a campaign (draft)' })
  @ApiZodBody(createCampaignSchema)
  @ApiZodResponse(201, 'The campaign, a draft', CampaignResponse)
  create(@ZodBody(createCampaignSchema) body: CreateCampaign, @CurrentUser() user: AuthUser) {
    return this.campaigns.create(body, user);
  }

  @Post('dry-run')
  @ApiOperation({
    summary:
      'Dry run of an unsaved campaign (the create body): what a launch would do, writing nothing',
    description:
      "Routes and renders every customer of the segment as the fan-out would (the same loader and planner), in batches, and counts instead of writing: per channel now, held by quiet hours (earliest and latest time) or gathered into a digest; suppressed per reason; a sample of customers with their routing reasons. Stops after `limits.seconds` or `limits.customers` (then `complete` is false and `stoppedBy` says which). A/B picks of an unsaved definition use a throw-away id: the saved campaign's differ.",
  })
  @HttpCode(200)
  @ApiZodBody(createCampaignSchema)
  @ApiZodResponse(200, 'What a launch would do now', DryRunResponse)
  dryRunDefinition(
    @ZodBody(createCampaignSchema) body: CreateCampaign,
    @ZodQuery(dryRunQuerySchema) q: DryRunQuery,
    @CurrentUser() user: AuthUser,
  ) {
    this.campaigns.check(body, user);
    return this.dryRuns.ofDefinition(body, q.maxCustomers);
  }

  @Get()
  @ApiOperation({ summary: 'List campaigns' })
  @ApiZodResponse(200, 'The newest campaigns', CampaignListResponse)
  list() {
    return this.campaigns.list();
  }

  @Post('segments/preview')
  @ApiOperation({ summary: 'Count the customers a segment reaches' })
  @HttpCode(200)
  @ApiZodBody(previewSegmentSchema)
  @ApiZodResponse(200, 'Customers in the segment now', SegmentCountResponse)
  preview(@ZodBody(previewSegmentSchema) body: { segment: Segment }) {
    return this.campaigns.previewCount(body.segment);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign with its progress' })
  @ApiZodResponse(200, 'The campaign', CampaignResponse)
  get(@Param('id') id: string) {
    return this.campaigns.get(id);
  }

  @Get(':id/stats')
  @ApiOperation({
    summary:
      'Sent, delivered, opened, clicked, replied, converted, revenue, cost and return per channel; the A/B result',
    description:
      "Sends held by quiet hours are `scheduled` (with the earliest and latest send time), not sent; `unknown` outcomes are counted apart. `digested`: sends of a low-urgency campaign gathered into the customer's digest (within DIGEST_WINDOW_MINUTES of their last low-urgency message), counted as queued until the digest goes, then as the digest message's own delivery. A reply is an inbound message on the campaign message's channel within CAMPAIGN_REPLY_WINDOW_HOURS after it went, not a CSAT answer, automatic reply or SMS keyword (an opt-out keyword counts as `unsubscribed`). `ab` compares the variants on `metric` (open, click, reply or conversion; default click) with a two-proportion z-test; `winner` only when p < alpha.",
  })
  @ApiZodResponse(200, 'The campaign stats', CampaignStatsResponse)
  async campaignStats(
    @Param('id') id: string,
    @ZodQuery(campaignStatsQuerySchema) q: CampaignStatsQuery,
  ) {
    const c = await this.campaigns.get(id);
    return { ...(await this.stats.stats(id, q.metric)), status: c.status };
  }

  /** Server-sent events: `event: progress` with {status, batches, recipients, sent, suppressed}, until the campaign ends. */
  @Get(':id/progress')
  @ApiOperation({ summary: "The campaign's progress now" })
  async live(@Param('id') id: string, @Res() res: FastifyReply): Promise<void> {
    await this.progress.stream(id, res);
  }

  @Post(':id/dry-run')
  @ApiOperation({
    summary: 'Dry run of a saved campaign: what launching it now would do, writing nothing',
    description:
      'As POST /campaigns/dry-run, over the campaign as saved (its A/B picks are the ones a launch makes). A launch right after sends what it counts.',
  })
  @HttpCode(200)
  @ApiZodResponse(200, 'What a launch would do now', DryRunResponse)
  async dryRun(@Param('id') id: string, @ZodQuery(dryRunQuerySchema) q: DryRunQuery) {
    const c = await this.campaigns.row(id);
    return this.dryRuns.run(c, c.id, q.maxCustomers);
  }

  @Post(':id/launch')
  @ApiOperation({
    summary: 'Launch a campaign',
    description:
      'A crisis broadcast (kind crisis) launches only when `confirm` repeats its name: missing, 400; another text, 409. Who confirmed and when is recorded (confirmedBy, confirmedAt). Other campaigns need no body.',
  })
  @HttpCode(202)
  @ApiZodBody(launchSchema)
  @ApiZodResponse(202, 'The campaign, running or scheduled', CampaignResponse)
  launch(
    @Param('id') id: string,
    @ZodBody(launchSchema) body: LaunchBody,
    @CurrentUser() user: AuthUser,
  ) {
    return this.campaigns.launch(id, user, body.confirm);
  }

  @Post(':id/pause')
  @ApiOperation({ summary: 'Pause a running campaign' })
  @HttpCode(200)
  @ApiZodResponse(200, 'The campaign, paused', CampaignResponse)
  pause(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.campaigns.pause(id, user.id);
  }

  @Post(':id/resume')
  @ApiOperation({ summary: 'Resume a paused campaign' })
  @HttpCode(202)
  @ApiZodResponse(202, 'The campaign, running', CampaignResponse)
  resume(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.campaigns.resume(id, user.id);
  }

  @Post(':id/cancel')
  @ApiOperation({ summary: 'Cancel a campaign' })
  @HttpCode(200)
  @ApiZodResponse(200, 'The campaign, cancelled (its held sends cancelled)', CampaignResponse)
  cancel(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.campaigns.cancel(id, user.id);
  }
}
