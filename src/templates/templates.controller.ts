import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { notFound } from '../common/errors/domain-error';
import { ApiZodBody, ZodBody } from '../common/http/zod-body';
import { CHANNELS, PURPOSES } from '../common/names';
import { timeZoneSchema } from '../common/time-zone';
import { TemplateEngine } from './template-engine';
import { templateHttpError } from './template-http-errors';
import { TemplateVersionsService } from './template-versions.service';

const Key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes');
const Locale = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a locale like en or zh-CN');
const Variant = z
  .string()
  .regex(/^[a-z0-9-]{1,32}$/, 'must be lower-case letters, digits and dashes');

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

const PreviewBody = z.object({
  channel: z.enum(CHANNELS),
  locale: Locale.optional(),
  variant: Variant.optional(),
  timezone: timeZoneSchema.optional(),
  data: z.record(z.string(), z.unknown()).default({}),
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
  list() {
    return { items: this.engine.list() };
  }

  @Get(':key')
  async get(@Param('key') key: string) {
    const listing = this.engine.list().find((t) => t.key === key);
    if (listing === undefined) throw notFound('template', key);
    return { ...listing, history: await this.versions.versions(key) };
  }

  @Post()
  @ApiZodBody(CreateBody)
  create(@ZodBody(CreateBody) body: z.infer<typeof CreateBody>, @CurrentUser() user: AuthUser) {
    return this.versions.create(body, user);
  }

  @Post(':key/preview')
  @HttpCode(200)
  @ApiZodBody(PreviewBody)
  preview(@Param('key') key: string, @ZodBody(PreviewBody) body: z.infer<typeof PreviewBody>) {
    try {
      const r = this.engine.render(key, body.channel, {
        locale: body.locale,
        variant: body.variant,
        timezone: body.timezone,
        data: body.data,
      });
      return {
        channel: r.channel,
        locale: r.locale,
        variant: r.variant,
        version: r.version,
        ...(r.subject !== undefined ? { subject: r.subject } : {}),
        text: r.text,
        ...(r.html !== undefined ? { html: r.html } : {}),
        ...(r.segments !== undefined ? { segments: r.segments } : {}),
      };
    } catch (e) {
      throw templateHttpError(e, 'not_found');
    }
  }
}
