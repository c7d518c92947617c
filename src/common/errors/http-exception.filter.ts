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
import type { Request, Response } from 'express';
import { DomainError, ERROR_STATUS } from './domain-error';

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
  limit?: number;
}

/** Every error leaves as `{statusCode, error, message, correlationId}` and never with a stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly log = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const { status, message, details } = this.describe(exception);
    if (status >= 500)
      this.log.error(
        `${req.method} ${req.path} failed: ${(exception as Error)?.stack ?? exception}`,
      );
    if (res.headersSent) return;
    res.status(status).json({
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
      // Body-parser failures reach us wrapped by Nest; say what they mean.
      if (e.getStatus() === 413)
        return {
          status: 413,
          message: 'request body exceeds the limit of the server (BODY_LIMIT)',
        };
      if (
        e.getStatus() === 400 &&
        /JSON|Unexpected (token|end)|Expected /.test(message) &&
        !message.includes(':')
      ) {
        return { status: 400, message: `malformed JSON body: ${message}` };
      }
      return { status: e.getStatus(), message };
    }
    const bp = e as BodyParserError;
    if (bp?.type === 'entity.parse.failed')
      return { status: 400, message: `malformed JSON body: ${bp.message}` };
    if (bp?.type === 'entity.too.large')
      return { status: 413, message: `request body exceeds the limit of ${bp.limit} bytes` };
    if (bp?.type === 'charset.unsupported' || bp?.type === 'encoding.unsupported')
      return { status: 415, message: bp.message ?? 'unsupported encoding' };
    if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500)
      return { status: bp.status, message: bp.message ?? 'bad request' };
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'internal error' };
  }
}
