import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../../auth/auth.decorators';
import { ApiZodBody, ApiZodResponse, ZodBody, ZodQuery } from '../../common/http/zod-body';
import { CampaignResponse } from '../campaign-responses';
import {
  createCrisisSchema,
  proofQuerySchema,
  type CreateCrisis,
  type ProofQuery,
} from './crisis.dto';
import { ReachResponse } from './crisis.responses';
import { CrisisService } from './crisis.service';

/** Crisis broadcasts: create one, watch its reach, export its proof of notice. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/v1/campaigns')
export class CrisisController {
  constructor(private readonly crisis: CrisisService) {}

  @Post('crisis')
  @ApiOperation({
    summary: 'Create a crisis broadcast (a draft)',
    description:
      'A campaign of kind crisis: urgency critical (quiet hours do not hold it; the critical fallback chain applies), purpose service (default) or transactional, a template of CRISIS_TEMPLATES, and the legal basis relied on where a recipient gave no consent for a channel. A revoked channel is still never used. Launch it with POST /campaigns/:id/launch {confirm: <its name>}.',
  })
  @ApiZodBody(createCrisisSchema)
  @ApiZodResponse(201, 'The crisis broadcast, a draft', CampaignResponse)
  create(@ZodBody(createCrisisSchema) body: CreateCrisis, @CurrentUser() user: AuthUser) {
    return this.crisis.create(body, user);
  }

  @Get(':id/reach')
  @ApiOperation({
    summary: 'Reach by channel and fallback hop: attempted, delivered, read, failed, pending',
    description:
      'Hop 0 is the first attempt, hop n the n-th fallback. Read live (poll it while the broadcast runs). Any campaign has one; it is meant for crisis broadcasts.',
  })
  @ApiZodResponse(200, 'The reach now', ReachResponse)
  reach(@Param('id') id: string) {
    return this.crisis.reach(id);
  }

  @Get(':id/proof-of-notice.csv')
  @ApiOperation({
    summary: 'Proof of notice as CSV: every attempt per recipient, its receipts and legal basis',
    description:
      'Streamed (UTF-8 with BOM, formula cells escaped). One row per delivery attempt per recipient (a message not attempted yet, a refused fallback step and a suppressed recipient: one row each), ordered by customer then hop. legal_basis: `consent` with the ledger entry in force for the channel and purpose when the attempt was made, else the basis stated on the broadcast. Addresses masked unless address=full (audited).',
  })
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description: 'The CSV file (an attachment)',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async proof(
    @Param('id') id: string,
    @ZodQuery(proofQuerySchema) q: ProofQuery,
    @CurrentUser() user: AuthUser,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const { stream } = await this.crisis.proofOfNotice(id, q.address === 'full', user.id);
    await res
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="proof-of-notice-${id}.csv"`)
      .send(stream);
  }
}
