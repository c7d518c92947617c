import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CHANNELS, URGENCIES } from '../common/names';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
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
  async list() {
    return { items: await this.policies.list() };
  }

  @Post()
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
}
