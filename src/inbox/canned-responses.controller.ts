import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';

const CannedBody = z.object({
  shortCode: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[\w-]+$/, 'letters, digits, _ and - only'),
  title: z.string().max(200).optional(),
  text: z.string().trim().min(1).max(10_000),
});
const SELECT = `SELECT id, short_code AS "shortCode", title, text, created_at AS "createdAt" FROM canned_responses`;

/** Canned responses; their text may hold {{customer.name}}-style variables the reply box fills in. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/canned-responses')
export class CannedResponsesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async list() {
    return {
      items: (await this.db.query(`${SELECT} ORDER BY short_code LIMIT 500`)) as unknown[],
      nextCursor: null,
    };
  }

  @Post()
  @ApiZodBody(CannedBody)
  async create(
    @CurrentUser() user: AuthUser,
    @ZodBody(CannedBody) body: z.infer<typeof CannedBody>,
  ) {
    const rows = (await this.db.query(
      `INSERT INTO canned_responses (short_code, title, text, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (short_code) DO NOTHING RETURNING id, short_code AS "shortCode", title, text, created_at AS "createdAt"`,
      [body.shortCode, body.title ?? null, body.text, user.id],
    )) as unknown[];
    if (!rows[0]) throw new DomainError('conflict', `shortCode: ${body.shortCode} already exists`);
    return rows[0];
  }
}
