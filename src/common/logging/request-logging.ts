import { randomUUID } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import type { Logger } from 'pino';
import pinoHttp from 'pino-http';

type WithId = IncomingMessage & { id?: string };

/** The caller's X-Request-Id when it sent one, else a new id. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && given !== '' ? given : randomUUID();
}

/**
 * A request id on every request (kept when the server already gave one), and one access log line
 * per request (pino-http) when the log level shows them. pino-http writes its lines at info:
 * below that it would still build a child logger per request (serialising and redacting the
 * request) for lines nobody sees.
 */
export function requestLogging(
  pino: Logger,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  if (!pino.isLevelEnabled('info')) {
    return (req, _res, next) => {
      (req as WithId).id ??= requestId(req);
      next();
    };
  }
  const log = pinoHttp({
    logger: pino,
    genReqId: (req) => (req as WithId).id ?? requestId(req),
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
    },
  });
  return (req, res, next) => {
    log(req, res);
    next();
  };
}
