import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { IdParam } from '../common/http/id-param';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import {
  SavedSegmentBody,
  SavedSegmentChangesBody,
  SavedSegmentListResponse,
  SavedSegmentResponse,
  type SavedSegmentChanges,
  type SavedSegmentInput,
} from './saved-segments.responses';
import { SavedSegmentsRepository } from './saved-segments.repository';

const taken = (name: string | undefined) =>
  new DomainError('conflict', `name: a segment named "${name}" already exists`);

/** Segments saved by name from the contacts list, to reuse in campaigns. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/v1/segments')
export class SavedSegmentsController {
  constructor(private readonly segments: SavedSegmentsRepository) {}

  @Get()
  @ApiOperation({ summary: 'Saved segments, by name' })
  @ApiZodResponse(200, 'Up to 500 saved segments', SavedSegmentListResponse)
  async list() {
    return { items: await this.segments.list() };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One saved segment' })
  @ApiZodResponse(200, 'The saved segment', SavedSegmentResponse)
  async get(@IdParam() id: string) {
    const found = await this.segments.find(id);
    if (!found) throw new DomainError('not_found', `segment ${id} not found`);
    return found;
  }

  @Post()
  @ApiOperation({ summary: 'Save a segment under a name (unique regardless of case: 409)' })
  @ApiZodBody(SavedSegmentBody)
  @ApiZodResponse(201, 'The saved segment', SavedSegmentResponse)
  async create(@ZodBody(SavedSegmentBody) body: SavedSegmentInput, @CurrentUser() user: AuthUser) {
    const saved = await this.segments.insert(body.name, body.definition, user.id);
    if (saved === 'name_taken') throw taken(body.name);
    return saved;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a saved segment or change its filters' })
  @ApiZodBody(SavedSegmentChangesBody)
  @ApiZodResponse(200, 'The saved segment as changed', SavedSegmentResponse)
  async update(@IdParam() id: string, @ZodBody(SavedSegmentChangesBody) body: SavedSegmentChanges) {
    const outcome = await this.segments.update(id, body);
    if (outcome === 'missing') throw new DomainError('not_found', `segment ${id} not found`);
    if (outcome === 'name_taken') throw taken(body.name);
    return outcome;
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a saved segment (campaigns keep their own copy of it)' })
  @HttpCode(204)
  async remove(@IdParam() id: string): Promise<void> {
    if (!(await this.segments.remove(id)))
      throw new DomainError('not_found', `segment ${id} not found`);
  }
}
