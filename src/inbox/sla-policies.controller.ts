import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../common/errors/domain-error';
import { IdParam } from '../common/http/id-param';
import { z } from 'zod';
import { CHANNELS, URGENCIES } from '../common/names';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { SlaPolicyListResponse, SlaPolicyResponse } from './teams.responses';
import { SlaPoliciesRepository } from './sla-policies.repository';

const PolicyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    priority: z.enum(URGENCIES).nullable().default(null),
    channel: z.enum(CHANNELS).nullable().default(null),
    firstResponseSeconds: z
      .number()
      .int()
      .positive()
      .max(90 * 86400)
      .nullable()
      .default(null),
    resolutionSeconds: z
      .number()
      .int()
      .positive()
      .max(365 * 86400)
      .nullable()
      .default(null),
  })
  .refine((b) => b.firstResponseSeconds || b.resolutionSeconds, {
    message: 'a target is required',
    path: ['firstResponseSeconds'],
  });

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/sla-policies')
export class SlaPoliciesController {
  constructor(private readonly policies: SlaPoliciesRepository) {}

  @Get()
  @ApiOperation({
    summary: 'SLA policies: first-response and resolution targets per priority/channel',
  })
  @ApiZodResponse(200, 'The SLA policies', SlaPolicyListResponse)
  async list() {
    return { items: await this.policies.list() };
  }

  @Post()
  @ApiOperation({ summary: 'Create an SLA policy (null priority or channel: any)' })
  @ApiZodResponse(201, 'The new SLA policy', SlaPolicyResponse)
  @ApiZodBody(PolicyBody)
  async create(@ZodBody(PolicyBody) b: z.infer<typeof PolicyBody>) {
    return this.policies.insert({
      name: b.name,
      priority: b.priority,
      channel: b.channel,
      firstResponseSeconds: b.firstResponseSeconds,
      resolutionSeconds: b.resolutionSeconds,
    });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an SLA policy (conversations already opened keep their due times)',
  })
  @ApiResponse({ status: 204, description: 'Deleted' })
  async remove(@IdParam() id: string): Promise<void> {
    if (!(await this.policies.delete(id)))
      throw new DomainError('not_found', `SLA policy ${id} not found`);
  }
}
