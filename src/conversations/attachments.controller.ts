import { Controller, Get, Res } from '@nestjs/common';
import { IdParam } from '../common/http/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get(':id')
  async download(@IdParam() id: string, @Res() res: FastifyReply) {
    const rows = (await this.db.query(
      `SELECT filename, content_type, content FROM attachments WHERE id = $1`,
      [id],
    )) as Array<{
      filename: string;
      content_type: string;
      content: Buffer | null;
    }>;
    const a = rows[0];
    if (!a?.content) throw new DomainError('not_found', `attachment ${id} not found`);
    await res
      .headers({
        'Content-Type': a.content_type,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
        'X-Content-Type-Options': 'nosniff',
      })
      .send(a.content);
  }
}
