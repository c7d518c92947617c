import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodResponse } from '../common/http/zod-body';
import { LinkResponse, UploadResponse } from './attachments.responses';
import { AttachmentLinksService } from './attachment-links.service';
import {
  StoredAttachmentsRepository,
  type AttachmentDownload,
} from './stored-attachments.repository';
import { UploadsService } from './uploads.service';
import { VisibilityService } from './visibility.service';

/** Types a browser may show in place: they cannot run script in our origin. */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
]);

@ApiTags('conversations')
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(
    private readonly attachments: StoredAttachmentsRepository,
    private readonly visibility: VisibilityService,
    private readonly links: AttachmentLinksService,
    private readonly uploads: UploadsService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Upload a file to send with a reply',
    description:
      "The body is the file's bytes (Content-Type: application/octet-stream or the file's " +
      'type), `filename` the name to give it. The type is read from the bytes: images (PNG, ' +
      'JPEG, GIF, WebP), PDF, Office documents, zip and plain text are accepted, anything else ' +
      'is 415. Larger than ATTACHMENT_MAX_BYTES is 413. Answers `{id, filename, contentType, ' +
      'size, url}`; pass the id in `attachmentIds` of a reply (e-mail carries attachments). ' +
      'An upload no reply carried within 24 hours is deleted.',
  })
  @ApiQuery({ name: 'filename', required: true, type: String })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiZodResponse(201, 'The upload, pending until a reply carries it', UploadResponse)
  async upload(
    @Req() req: FastifyRequest & { rawBody?: Buffer },
    @Query('filename') filename: unknown,
    @CurrentUser() user: AuthUser,
  ) {
    const bytes = Buffer.isBuffer(req.body) ? req.body : req.rawBody;
    return this.uploads.upload(user.id, filename, bytes);
  }

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Download an attachment (bearer token)' })
  @ApiResponse({ status: 200, description: "The file's bytes, as an attachment" })
  async download(@IdParam() id: string, @Res() res: FastifyReply, @CurrentUser() user: AuthUser) {
    const a = await this.stored(id);
    await this.assertMayOpen(user, id, a);
    await send(res, a, false);
  }

  @Post(':id/link')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'A short-lived signed link to an attachment',
    description:
      'For a new tab, an <img> or the PDF viewer, which cannot send the bearer header. The link opens the file for 5 minutes.',
  })
  @ApiZodResponse(200, 'The signed link', LinkResponse)
  async link(@IdParam() id: string, @CurrentUser() user: AuthUser) {
    const a = await this.stored(id);
    await this.assertMayOpen(user, id, a);
    return this.links.issue(id);
  }

  @Get(':id/signed')
  @ApiOperation({
    summary: 'Open an attachment through a signed link',
    description: 'Images and PDFs are shown in place; other types download.',
  })
  @ApiQuery({ name: 'token', required: true, type: String })
  @ApiResponse({
    status: 200,
    description: 'The file: images and PDFs inline, other types as an attachment',
  })
  async signed(
    @IdParam() id: string,
    @Query('token') token: unknown,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const verdict = typeof token === 'string' ? this.links.check(id, token) : 'invalid';
    if (verdict === 'expired')
      throw new DomainError(
        'forbidden',
        'token: the attachment link has expired; open it again from the conversation',
      );
    if (verdict !== 'ok') throw new DomainError('forbidden', 'token: invalid attachment link');
    await send(res, await this.stored(id), true);
  }

  /** A message's file: whoever may see its conversation; a pending upload: its uploader only. */
  private async assertMayOpen(user: AuthUser, id: string, a: AttachmentDownload): Promise<void> {
    if (a.pendingUploader !== null && a.pendingUploader !== user.id)
      throw new DomainError('not_found', `attachment ${id} not found`);
    await this.visibility.assertCanSeeConversationOf(user, a.conversationId);
  }

  private async stored(id: string): Promise<AttachmentDownload & { content: Buffer }> {
    const a = await this.attachments.forDownload(id);
    if (!a?.content) throw new DomainError('not_found', `attachment ${id} not found`);
    return a as AttachmentDownload & { content: Buffer };
  }
}

async function send(
  res: FastifyReply,
  a: AttachmentDownload & { content: Buffer },
  inline: boolean,
) {
  const disposition = inline && INLINE_TYPES.has(a.contentType) ? 'inline' : 'attachment';
  await res
    .headers({
      'Content-Type': a.contentType,
      'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    })
    .send(a.content);
}
