import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { CannedResponsesRepository } from './canned-responses.repository';

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

/** Canned responses; their text may hold {{customer.name}}-style variables the reply box fills in. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/canned-responses')
export class CannedResponsesController {
  constructor(private readonly repo: CannedResponsesRepository) {}

  @Get()
  async list() {
    return {
      items: await this.repo.list(),
      nextCursor: null,
    };
  }

  @Post()
  @ApiZodBody(CannedBody)
  async create(
    @CurrentUser() user: AuthUser,
    @ZodBody(CannedBody) body: z.infer<typeof CannedBody>,
  ) {
    const created = await this.repo.insert({
      shortCode: body.shortCode,
      title: body.title ?? null,
      text: body.text,
      createdBy: user.id,
    });
    if (!created) throw new DomainError('conflict', `shortCode: ${body.shortCode} already exists`);
    return created;
  }
}
