import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { CannedResponsesRepository } from './canned-responses.repository';
import { CannedResponseListResponse, CannedResponseSchema } from './inbox.responses';

const shortCode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[\w-]+$/, 'letters, digits, _ and - only');
const CannedBody = z.object({
  shortCode,
  title: z.string().max(200).optional(),
  text: z.string().trim().min(1).max(10_000),
});
const CannedChangesBody = z
  .object({
    shortCode: shortCode.optional(),
    title: z.string().max(200).nullable().optional(),
    text: z.string().trim().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one of shortCode, title, text');

/** Canned responses; their text may hold {{customer.name}}-style variables the reply box fills in. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/canned-responses')
export class CannedResponsesController {
  constructor(private readonly repo: CannedResponsesRepository) {}

  @Get()
  @ApiOperation({ summary: 'Canned responses by short code' })
  @ApiZodResponse(200, 'Up to 500, by short code', CannedResponseListResponse)
  async list() {
    return {
      items: await this.repo.list(),
      nextCursor: null,
    };
  }

  @Post()
  @ApiOperation({ summary: 'Create a canned response (short code unique: 409 otherwise)' })
  @ApiZodBody(CannedBody)
  @ApiZodResponse(201, 'The canned response', CannedResponseSchema)
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

  @Patch(':id')
  @ApiOperation({ summary: "Change a canned response's short code, title or text" })
  @ApiZodBody(CannedChangesBody)
  @ApiZodResponse(200, 'The canned response as changed', CannedResponseSchema)
  async update(
    @IdParam() id: string,
    @ZodBody(CannedChangesBody) body: z.infer<typeof CannedChangesBody>,
  ) {
    const outcome = await this.repo.update(id, body);
    if (outcome === 'missing')
      throw new DomainError('not_found', `canned response ${id} not found`);
    if (outcome === 'code_taken')
      throw new DomainError('conflict', `shortCode: ${body.shortCode} already exists`);
    return outcome;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a canned response' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  async remove(@IdParam() id: string): Promise<void> {
    if (!(await this.repo.delete(id)))
      throw new DomainError('not_found', `canned response ${id} not found`);
  }
}
