import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { notFound } from '../common/errors/domain-error';
import {
  ApiZodBody,
  ApiZodResponse,
  parseOrThrow,
  ZodBody,
  ZodQuery,
} from '../common/http/zod-body';
import { CHANNELS, PURPOSES } from '../common/names';
import { timeZoneSchema } from '../common/time-zone';
import { PreviewCustomersRepository } from './preview-customers.repository';
import { TemplateLocale, TemplateVariant } from './template-fields';
import { TemplateVersionResponse } from './templates.responses';
import { TemplateEngine } from './template-engine';
import { TemplatePreviewService } from './template-preview.service';
import { TemplateVersionsService } from './template-versions.service';

const Locale = TemplateLocale;
const Variant = TemplateVariant;
const VersionId = z.string().uuid('must be a version id');

const DraftBody = z.object({
  channel: z.enum(CHANNELS),
  locale: Locale,
  variant: Variant.nullish(),
  subject: z.string().max(500).nullish(),
  body: z.string().min(1).max(100_000),
  purposes: z.array(z.enum(PURPOSES)).min(1).max(PURPOSES.length).optional(),
});

const RenderFields = {
  locale: Locale.optional(),
  variant: Variant.optional(),
  timezone: timeZoneSchema.optional(),
  data: z.record(z.string(), z.unknown()).default({}),
  customerId: z.string().uuid('must be a customer id').optional(),
  draft: z
    .object({ subject: z.string().max(500).nullish(), body: z.string().min(1).max(100_000) })
    .optional()
    .describe("The editor's text, rendered in place of the published version"),
};
const PreviewBody = z.object({ channel: z.enum(CHANNELS), ...RenderFields });
const TestSendBody = z.object(RenderFields);

const VersionResponse = TemplateVersionResponse;
const VersionListResponse = z.object({ items: z.array(VersionResponse) });

const PreviewResponse = z.object({
  channel: z.enum(CHANNELS),
  locale: z.string(),
  variant: z.string().nullable(),
  version: z.number().int().describe('0: a shipped file or an unsaved draft'),
  subject: z.string().optional(),
  text: z.string().describe('The text (the e-mail text alternative)'),
  html: z.string().optional(),
  segments: z
    .object({
      encoding: z.enum(['GSM-7', 'UCS-2']),
      segments: z.number().int(),
      units: z.number().int().describe('Septets (GSM-7) or UTF-16 code units (UCS-2)'),
      perSegment: z.number().int(),
      characters: z.number().int(),
    })
    .optional(),
  systemValues: z
    .object({ unsubscribeUrl: z.string(), preferencesUrl: z.string() })
    .describe('Sample values filled where a send fills per-recipient ones'),
  customer: z.object({ id: z.string(), name: z.string(), locale: z.string() }).optional(),
});

const SourceQuery = z.object({
  channel: z.enum(CHANNELS),
  locale: Locale,
  variant: Variant.optional(),
});
const SourceResponse = z.object({
  subject: z.string().nullable(),
  body: z.string(),
  version: z.number().int().describe('0: the shipped file'),
  origin: z.enum(['file', 'override']),
});
const CustomersQuery = z.object({ q: z.string().trim().min(1).max(100) });
const CustomersResponse = z.object({
  items: z.array(z.object({ id: z.string(), displayName: z.string(), locale: z.string() })),
});

const TestSendResponse = z.object({
  to: z.string(),
  subject: z.string(),
  transport: z.enum(['sandbox', 'live']),
});

/**
 * The template editor's routes: drafts, publish and rollback, preview against a customer, a
 * test send to oneself. POST /api/v1/templates (TemplatesController) still publishes at once.
 */
@ApiTags('templates')
@ApiBearerAuth()
@Controller('api/v1/templates')
export class TemplateDraftsController {
  constructor(
    private readonly engine: TemplateEngine,
    private readonly versions: TemplateVersionsService,
    private readonly previews: TemplatePreviewService,
    private readonly customers: PreviewCustomersRepository,
  ) {}

  @Get(':key/source')
  @ApiOperation({ summary: "The text in use for one channel, locale and variant (the editor's start)" })
  @ApiZodResponse(200, 'The published version or the shipped file', SourceResponse)
  source(@Param('key') key: string, @ZodQuery(SourceQuery) q: z.infer<typeof SourceQuery>) {
    const found = this.engine.sourceOf(key, q.channel, q.locale, q.variant ?? null);
    if (found === null)
      throw notFound('template', `${key} for ${q.channel} in ${q.locale}${q.variant ? ` (${q.variant})` : ''}`);
    return found;
  }

  @Get(':key/preview-customers')
  @ApiOperation({ summary: 'Customers to preview the template against, by name or address' })
  @ApiZodResponse(200, 'Up to 10 customers', CustomersResponse)
  async previewCustomers(
    @Param('key') key: string,
    @ZodQuery(CustomersQuery) q: z.infer<typeof CustomersQuery>,
  ) {
    if (this.engine.purposesOf(key) === null) throw notFound('template', key);
    return { items: await this.customers.find(q.q, 10) };
  }

  @Get(':key/versions')
  @ApiOperation({ summary: 'Every stored version of a template: drafts, published, archived' })
  @ApiZodResponse(200, 'Versions by channel, locale and variant, newest first', VersionListResponse)
  async list(@Param('key') key: string) {
    const items = await this.versions.versions(key);
    if (items.length === 0 && this.engine.purposesOf(key) === null)
      throw notFound('template', key);
    return { items };
  }

  @Post(':key/drafts')
  @ApiOperation({ summary: 'Save a draft version (not sent until published)' })
  @ApiZodBody(DraftBody)
  @ApiZodResponse(201, 'The draft', VersionResponse)
  draft(
    @Param('key') key: string,
    @ZodBody(DraftBody) body: z.infer<typeof DraftBody>,
    @CurrentUser() user: AuthUser,
  ) {
    parseOrThrow(z.object({ key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes') }), { key });
    return this.versions.create({ ...body, key }, user, 'draft');
  }

  @Post(':key/versions/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a draft: sends use it from now on' })
  @ApiZodResponse(200, 'The version, published', VersionResponse)
  publish(@Param('key') key: string, @Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.versions.publish(key, parseOrThrow(VersionId, id), 'draft', user);
  }

  @Post(':key/versions/:id/rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Roll back: publish an earlier (archived) version again' })
  @ApiZodResponse(200, 'The version, published again', VersionResponse)
  rollback(@Param('key') key: string, @Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.versions.publish(key, parseOrThrow(VersionId, id), 'archived', user);
  }

  @Post(':key/preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Render a template (or an unsaved draft) for a customer or data; system values filled with samples; a missing variable: 422',
  })
  @ApiZodBody(PreviewBody)
  @ApiZodResponse(200, 'The rendered template', PreviewResponse)
  preview(@Param('key') key: string, @ZodBody(PreviewBody) body: z.infer<typeof PreviewBody>) {
    return this.previews.preview(key, body);
  }

  @Post(':key/test-send')
  @HttpCode(200)
  @ApiOperation({ summary: "Send the e-mail, rendered as the preview, to the signed-in user's address" })
  @ApiZodBody(TestSendBody)
  @ApiZodResponse(200, 'Where it went', TestSendResponse)
  testSend(
    @Param('key') key: string,
    @ZodBody(TestSendBody) body: z.infer<typeof TestSendBody>,
    @CurrentUser() user: AuthUser,
  ) {
    return this.previews.testSend(key, body, user);
  }
}
