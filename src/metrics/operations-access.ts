import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'crypto';
import type { FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * METRICS_TOKEN: when set, /metrics and the details of /health need it, sent as
 * `Authorization: Bearer <token>` or `?token=<token>` (a scraper that cannot set headers).
 * Unset, both stay open as before.
 */
@Injectable()
export class OperationsAccess {
  private readonly expected: Buffer | null;

  constructor(config: AppConfig) {
    const token = config.env.METRICS_TOKEN;
    this.expected = token ? digest(token) : null;
  }

  granted(req: Pick<FastifyRequest, 'headers' | 'query'>): boolean {
    if (this.expected === null) return true;
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    const query = (req.query as { token?: unknown } | undefined)?.token;
    const given = bearer ?? (typeof query === 'string' ? query : undefined);
    // Compared as digests: equal lengths, and no early exit on the first differing byte.
    return given !== undefined && given !== '' && timingSafeEqual(digest(given), this.expected);
  }
}

/**
 * /health without the token: the status and the HTTP code (200 or 503) a load balancer needs,
 * none of the details (which part is down and why, queue counts, channel transports).
 */
@Injectable()
export class HealthDetailsBehindToken implements NestInterceptor {
  constructor(private readonly access: OperationsAccess) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.access.granted(ctx.switchToHttp().getRequest<FastifyRequest>())) return next.handle();
    return next.handle().pipe(map(summary));
  }
}

function summary(report: unknown): unknown {
  if (report === null || typeof report !== 'object') return report;
  const { statusCode, status } = report as { statusCode?: unknown; status?: unknown };
  return statusCode === undefined ? { status } : { statusCode, status };
}
