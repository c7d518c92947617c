import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Roles } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';

@ApiTags('conversations')
@ApiBearerAuth()
@Roles('agent', 'supervisor')
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get(':id')
  async download(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string,
    @Res() res: Response,
  ) {
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
    res.setHeader('Content-Type', a.content_type);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(a.content);
  }
}
