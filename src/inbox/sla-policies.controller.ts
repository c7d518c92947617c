import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { CHANNELS, URGENCIES } from '../common/names';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';

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
const SELECT = `SELECT id, name, priority, channel, first_response_seconds AS "firstResponseSeconds", resolution_seconds AS "resolutionSeconds" FROM sla_policies`;

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/sla-policies')
export class SlaPoliciesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async list() {
    return { items: (await this.db.query(`${SELECT} ORDER BY created_at`)) as unknown[] };
  }

  @Post()
  @ApiZodBody(PolicyBody)
  async create(@ZodBody(PolicyBody) b: z.infer<typeof PolicyBody>) {
    const rows = (await this.db.query(
      `INSERT INTO sla_policies (name, priority, channel, first_response_seconds, resolution_seconds) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, name, priority, channel, first_response_seconds AS "firstResponseSeconds", resolution_seconds AS "resolutionSeconds"`,
      [b.name, b.priority, b.channel, b.firstResponseSeconds, b.resolutionSeconds],
    )) as unknown[];
    return rows[0];
  }
}
