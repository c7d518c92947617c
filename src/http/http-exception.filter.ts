import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import { randomUUID } from 'crypto';
import { STATUS_CODES } from 'http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unstorableValue } from '../database/sql-errors';
import { DomainError, ERROR_STATUS } from '../common/errors/domain-error';

interface ParserError {
  statusCode?: number;
  message?: string;
}

/** Every error leaves as `{statusCode, error, message, correlationId}` and never with a stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly log = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const { status, message, details } = this.describe(exception);
    if (status >= 500)
      this.log.error(
        `${req.method} ${req.url.split('?')[0]} failed: ${(exception as Error)?.stack ?? exception}`,
      );
    if (res.sent || res.raw.headersSent) return;
    // A 429 says when to come back (a login throttle, an API key's rate).
    if (status === 429 && typeof details?.retryAfterSeconds === 'number')
      void res.header('Retry-After', String(details.retryAfterSeconds));
    // JSON whatever the handler declared for its own answers (TwiML, HTML, a pixel).
    void res
      .status(status)
      .header('Content-Type', 'application/json; charset=utf-8')
      .send({
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message,
        ...(details ? { details } : {}),
        correlationId: req.id ?? randomUUID(),
      });
  }

  private describe(e: unknown): {
    status: number;
    message: string;
    details?: Record<string, unknown>;
  } {
    if (e instanceof DomainError)
      return { status: ERROR_STATUS[e.code], message: e.message, details: e.details };
    if (e instanceof HttpException) {
      const body = e.getResponse();
      const message =
        typeof body === 'string'
          ? body
          : Array.isArray((body as { message?: unknown }).message)
            ? (body as { message: string[] }).message.join('; ')
            : String((body as { message?: unknown }).message ?? e.message);
      // Fastify's own refusals (an oversize body) reach us as HttpExceptions; say what they mean.
      if (e.getStatus() === 413)
        return {
          status: 413,
          message: 'request body exceeds the limit of the server (BODY_LIMIT)',
        };
      return { status: e.getStatus(), message };
    }
    // Input PostgreSQL refused as a value (a NUL in text, a number or date out of range): the
    // caller's, never a 500. The parsers and schemas refuse these first, naming the field.
    const unstorable = unstorableValue(e);
    if (unstorable) return { status: 400, message: unstorable.message };
    // A body parser's own error (the JSON parser's SyntaxError carries statusCode 400).
    const f = e as ParserError;
    if (e instanceof SyntaxError && f.statusCode === 400)
      return { status: 400, message: `malformed JSON body: ${e.message}` };
    if (typeof f?.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500)
      return { status: f.statusCode, message: f.message ?? 'bad request' };
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'internal error' };
  }
}
