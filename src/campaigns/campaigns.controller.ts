import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CampaignStatsService } from '../analytics/campaign-stats.service';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { createCampaignSchema, previewSegmentSchema, type CreateCampaign } from './campaign.dto';
import { CampaignProgressStream } from './campaign-progress.stream';
import { CampaignsService } from './campaigns.service';
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
  ) {}

  @Post()
  @ApiZodBody(createCampaignSchema)
  create(@ZodBody(createCampaignSchema) body: CreateCampaign, @CurrentUser() user: AuthUser) {
    return this.campaigns.create(body, user);
  }

  @Get()
  list() {
    return this.campaigns.list();
  }

  @Post('segments/preview')
  @HttpCode(200)
  @ApiZodBody(previewSegmentSchema)
  preview(@ZodBody(previewSegmentSchema) body: { segment: Segment }) {
    return this.campaigns.previewCount(body.segment);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.campaigns.get(id);
  }

  @Get(':id/stats')
  async campaignStats(@Param('id') id: string) {
    const c = await this.campaigns.get(id);
    return { ...(await this.stats.stats(id)), status: c.status };
  }

  /** Server-sent events: `event: progress` with {status, batches, recipients, sent, suppressed}, until the campaign ends. */
  @Get(':id/progress')
  async live(@Param('id') id: string, @Res() res: FastifyReply): Promise<void> {
    await this.progress.stream(id, res);
  }

  @Post(':id/launch')
  @HttpCode(202)
  launch(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.campaigns.launch(id, user);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.campaigns.pause(id, user.id);
  }

  @Post(':id/resume')
  @HttpCode(202)
  resume(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.campaigns.resume(id, user.id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.campaigns.cancel(id, user.id);
  }
}
