import { Controller, Get, Res } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { VisibilityService } from './visibility.service';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly visibility: VisibilityService,
  ) {}

  @Get(':id')
  async download(@IdParam() id: string, @Res() res: FastifyReply, @CurrentUser() user: AuthUser) {
    const rows = (await this.db.query(
      `SELECT a.filename, a.content_type, a.content, m.conversation_id
       FROM attachments a LEFT JOIN messages m ON m.id = a.message_id WHERE a.id = $1`,
      [id],
    )) as Array<{
      filename: string;
      content_type: string;
      content: Buffer | null;
      conversation_id: string | null;
    }>;
    const a = rows[0];
    if (!a?.content) throw new DomainError('not_found', `attachment ${id} not found`);
    await this.visibility.assertCanSeeConversationOf(user, a.conversation_id);
    await res
      .headers({
        'Content-Type': a.content_type,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
        'X-Content-Type-Options': 'nosniff',
      })
      .send(a.content);
  }
}
