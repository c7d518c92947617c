import { Controller, Get, Res } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { StoredAttachmentsRepository } from './stored-attachments.repository';
import { VisibilityService } from './visibility.service';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(
    private readonly attachments: StoredAttachmentsRepository,
    private readonly visibility: VisibilityService,
  ) {}

  @Get(':id')
  async download(@IdParam() id: string, @Res() res: FastifyReply, @CurrentUser() user: AuthUser) {
    const a = await this.attachments.forDownload(id);
    if (!a?.content) throw new DomainError('not_found', `attachment ${id} not found`);
    await this.visibility.assertCanSeeConversationOf(user, a.conversationId);
    await res
      .headers({
        'Content-Type': a.contentType,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
        'X-Content-Type-Options': 'nosniff',
      })
      .send(a.content);
  }
}
