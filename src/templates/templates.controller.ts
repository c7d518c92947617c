import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOperation } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { notFound } from '../common/errors/domain-error';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { CHANNELS, PURPOSES } from '../common/names';
import { TemplateKey, TemplateLocale, TemplateVariant } from './template-fields';
import { TemplateEngine } from './template-engine';
import { TemplateVersionsService } from './template-versions.service';
import {
  TemplateListResponse,
  TemplateResponse,
  TemplateVersionResponse,
} from './templates.responses';

const Key = TemplateKey;
const Locale = TemplateLocale;
const Variant = TemplateVariant;

const CreateBody = z.object({
  key: Key,
  channel: z.enum(CHANNELS),
  locale: Locale,
  variant: Variant.nullish(),
  subject: z.string().max(500).nullish(),
  body: z.string().min(1).max(100_000),
  /** What the template may be sent for; omitted: the key's as they are, marketing for a new key. */
  purposes: z.array(z.enum(PURPOSES)).min(1).max(PURPOSES.length).optional(),
});

@ApiTags('templates')
@ApiBearerAuth()
@Controller('api/v1/templates')
export class TemplatesController {
  constructor(
    private readonly engine: TemplateEngine,
    private readonly versions: TemplateVersionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List templates (files and API versions)' })
  @ApiZodResponse(200, 'The templates', TemplateListResponse)
  list() {
    return { items: this.engine.list() };
  }

  @Get(':key')
  @ApiOperation({ summary: 'A template with its versions' })
  @ApiZodResponse(200, 'The template', TemplateResponse)
  async get(@Param('key') key: string) {
    const listing = this.engine.list().find((t) => t.key === key);
    if (listing === undefined) throw notFound('template', key);
    return { ...listing, history: await this.versions.versions(key) };
  }

  @Post()
  @ApiOperation({ summary: 'Add a new version of a template' })
  @ApiZodResponse(201, 'The new version', TemplateVersionResponse)
  @ApiZodBody(CreateBody)
  create(@ZodBody(CreateBody) body: z.infer<typeof CreateBody>, @CurrentUser() user: AuthUser) {
    return this.versions.create(body, user);
  }
}
