import { Controller, Get, Header, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { IdParam } from '../common/http/id-param';
import { ApiZodResponse } from '../common/http/zod-body';
import { CustomerImportDetailResponse, CustomerImportResponse } from './customer-imports.responses';
import { CustomerImportsService } from './customer-imports.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers/imports')
export class CustomerImportsController {
  constructor(private readonly imports: CustomerImportsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Import customers from a CSV file (the body), in the background',
    description:
      'The body is the CSV (Content-Type: text/csv), at most IMPORT_MAX_BYTES (413 above). ' +
      'Columns: name (or displayName) and at least one of email, phone, wechat; optional ' +
      'locale, timezone, tags (separated by ; or |), marketing_email/_sms/_wechat (yes: ' +
      'marketing consent granted, with the line as evidence); any other column becomes an ' +
      'attribute. A file that is not a CSV or lacks those columns is 400 naming the problem, ' +
      'before anything is imported. Answers 202 with the import; follow it with ' +
      'GET /api/v1/customers/imports/:id. Rows whose address already belongs to a customer ' +
      '(or to an earlier row) are skipped as duplicates; existing customers are never changed.',
  })
  @ApiQuery({ name: 'filename', required: false, type: String })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiZodResponse(202, 'The import, started', CustomerImportResponse)
  async start(
    @Req() req: FastifyRequest & { rawBody?: Buffer },
    @Query('filename') filename: unknown,
    @CurrentUser() user: AuthUser,
  ) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (/^(application\/json|multipart\/|application\/x-www-form-urlencoded)/.test(type))
      throw new DomainError(
        'bad_request',
        `body: send the CSV file itself (Content-Type: text/csv), not ${type}`,
      );
    const bytes = Buffer.isBuffer(req.body)
      ? req.body
      : typeof req.body === 'string'
        ? Buffer.from(req.body, 'utf8')
        : req.rawBody;
    if (!bytes)
      throw new DomainError('bad_request', 'body: send the CSV file (Content-Type: text/csv)');
    if (filename !== undefined && (typeof filename !== 'string' || filename.length > 255))
      throw new DomainError('bad_request', 'filename: a name of at most 255 characters');
    return this.imports.start(user.id, filename ?? '', bytes);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'An import: its counts so far and the rows not imported, with their reasons',
  })
  @ApiZodResponse(200, 'The import', CustomerImportDetailResponse)
  get(@IdParam() id: string) {
    return this.imports.get(id);
  }

  @Get(':id/rejected.csv')
  @ApiOperation({
    summary: 'The rows not imported as CSV: line, reasons, then the columns of the file',
    description: 'UTF-8 with BOM; cells starting with = + - @ are escaped for spreadsheets.',
  })
  @ApiProduces('text/csv')
  @ApiResponse({
    status: 200,
    description: 'The CSV file (an attachment)',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async rejected(@IdParam() id: string, @Res({ passthrough: true }) res: FastifyReply) {
    const { filename, csv } = await this.imports.rejectedCsv(id);
    void res.header(
      'Content-Disposition',
      `attachment; filename="rejected-rows.csv"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    );
    return csv;
  }
}
