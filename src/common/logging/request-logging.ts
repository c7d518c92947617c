import { randomUUID } from 'crypto';
import type { IncomingMessage } from 'http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import pinoHttp from 'pino-http';

/** The caller's X-Request-Id when it sent one, else a new id. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' ? given : randomUUID();
}

/**
 * A request id on every request, and one access log line per request (pino-http) when the
 * log level shows them. pino-http writes its lines at info: below that it would still build
 * a child logger per request (serialising and redacting the request) for lines nobody sees.
 */
export function requestLogging(pino: Logger): RequestHandler {
  if (!pino.isLevelEnabled('info')) {
    return (req, _res, next) => {
      (req as IncomingMessage & { id?: string }).id = requestId(req);
      next();
    };
  }
  return pinoHttp({
    logger: pino,
    genReqId: requestId,
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
    },
  }) as unknown as RequestHandler;
}
