import type { IncomingMessage, ServerResponse } from 'http';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import parseBytes from 'bytes';
import secureJson from 'secure-json-parse';
import type { FastifyInstance, FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { Transform } from 'stream';
import { verifyInboundSecret } from '../../channel-adapters/email';
import { DomainError } from '../common/errors/domain-error';
import type { AppConfig } from '../config/app-config';
import type { MetricsService } from '../metrics/metrics.service';
import { requestId, requestLogging } from '../common/logging/request-logging';

/** A JSON body that would set an object's prototype is refused, and says so. */
const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;

/** Longest path parameter routed (tracking tokens are signed and long; Fastify's default is 100). */
const MAX_PARAM_LENGTH = 4096;

/** Peers whose X-Forwarded-For counts (proxy-addr's names: 127/8, ::1, 169.254/16, 10/8, ...). */
export const TRUSTED_PROXIES = 'loopback,linklocal,uniquelocal';

/**
 * Nest on Fastify: its request pipeline costs a third of Express's per request here. Paths
 * match as Express matched them (case-insensitive, a trailing slash ignored). X-Forwarded-*
 * headers count only from a peer on loopback or a private network (a proxy in front of the
 * hub), and then only the hops such proxies appended, as live chat counts them
 * (livechat/client-address.ts): a client on the internet cannot choose the address its login
 * attempts are throttled under.
 */
export function httpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: TRUSTED_PROXIES,
    bodyLimit: bodyLimitBytes(config),
    genReqId: requestId,
    routerOptions: {
      caseSensitive: false,
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
    },
  });
}

export function bodyLimitBytes(config: AppConfig): number {
  const limit = parseBytes.parse(config.env.BODY_LIMIT);
  if (limit === null || !Number.isFinite(limit) || limit <= 0)
    throw new Error(`BODY_LIMIT: "${config.env.BODY_LIMIT}" is not a size such as 1mb`);
  return limit;
}

/** The one route that reads bodies past BODY_LIMIT: raw MIME from a mail provider. */
export const EMAIL_WEBHOOK_PATH = '/webhooks/email/inbound';
/** Agents' uploads: bodies up to ATTACHMENT_MAX_BYTES, whatever BODY_LIMIT says. */
export const UPLOAD_PATH = '/api/v1/attachments';
/** Customer imports: a CSV up to IMPORT_MAX_BYTES. */
export const IMPORT_PATH = '/api/v1/customers/imports';

/** What the e-mail webhook reads as raw MIME (anything else there stays within BODY_LIMIT). */
export const RAW_MIME_TYPES = ['message/rfc822', 'text/plain', 'application/octet-stream'];

/**
 * Bodies: JSON and forms keep their raw bytes (Twilio signs form parameters; the e-mail webhook
 * checks its secret over the request). An empty JSON body reads as {} as it did on Express.
 * Every route refuses a body past BODY_LIMIT before reading it: a Content-Length above it is
 * answered at once, a chunked body is read no further than the limit. The e-mail webhook alone
 * reads raw MIME as large as an accepted e-mail (it answers a precise 413 above
 * EMAIL_MAX_BYTES), and only from a caller that sent its secret.
 */
export function useBodyParsers(app: NestFastifyApplication, config: AppConfig): void {
  const instance = app.getHttpAdapter().getInstance() as FastifyInstance;
  const bodyLimit = bodyLimitBytes(config);
  instance.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url.toLowerCase() === UPLOAD_PATH && methods.includes('POST')) {
      route.bodyLimit = config.env.ATTACHMENT_MAX_BYTES;
      const own = route.preParsing ? [route.preParsing].flat() : [];
      route.preParsing = [
        ...own,
        refuseLargeUpload(config.env.ATTACHMENT_MAX_BYTES, 'file', 'ATTACHMENT_MAX_BYTES'),
      ];
      return;
    }
    if (route.url.toLowerCase() === IMPORT_PATH && methods.includes('POST')) {
      route.bodyLimit = config.env.IMPORT_MAX_BYTES;
      const own = route.preParsing ? [route.preParsing].flat() : [];
      route.preParsing = [
        ...own,
        refuseLargeUpload(config.env.IMPORT_MAX_BYTES, 'csv', 'IMPORT_MAX_BYTES'),
      ];
      return;
    }
    if (route.url.toLowerCase() !== EMAIL_WEBHOOK_PATH || !methods.includes('POST')) return;
    route.bodyLimit = config.env.EMAIL_MAX_BYTES + 1024 * 1024;
    const own = route.preParsing ? [route.preParsing].flat() : [];
    route.preParsing = [...own, limitUnlessRawMime(config, bodyLimit)];
  });
  app.useBodyParser(
    'application/json',
    { bodyLimit },
    (_req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (body.length === 0) return done(null, {});
      const text = body.toString('utf8');
      const tooDeep = jsonDepthExceeds(text, MAX_JSON_DEPTH);
      if (tooDeep) return done(badBody(`body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
      let value: unknown;
      try {
        value = secureJson.parse(text, PARSE_OPTIONS);
      } catch (e) {
        return done(Object.assign(e as Error, { statusCode: 400 }));
      }
      const nul = pathWithNul(value, []);
      if (nul) return done(badBody(`${nul}: contains a NUL character (\\u0000)`));
      done(null, value);
    },
  );
  app.useBodyParser(RAW_MIME_TYPES, { bodyLimit });
  // Any other type is read (within BODY_LIMIT) but not parsed, as Express did: the handler then
  // says what it expected, and a one-click unsubscribe (RFC 8058: multipart or form) needs no body.
  instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    (req as FastifyRequest & { rawBody?: Buffer }).rawBody = body as Buffer;
    done(null, undefined);
  });
}

/** Deepest nesting of objects and arrays a JSON body may have. */
export const MAX_JSON_DEPTH = 32;

function badBody(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/** Whether the JSON text nests objects/arrays deeper than `max` (strings skipped), before parsing. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The path (`identities.0.address`, `body` for the top level) of the first string, value or
 * key, holding U+0000: PostgreSQL refuses it in text, so it is refused here, naming the field.
 */
export function pathWithNul(value: unknown, path: string[]): string | null {
  const here = () => (path.length ? path.join('.') : 'body');
  if (typeof value === 'string') return value.includes('\u0000') ? here() : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.split('\u0000').join('\\u0000')].join('.');
    const found = pathWithNul(v, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** 413 naming the variable, as Fastify's own refusal is described by the exception filter. */
function tooLarge(): Error {
  return Object.assign(new Error('request body exceeds the limit of the server (BODY_LIMIT)'), {
    statusCode: 413,
  });
}

/** An upload whose Content-Length says it is too large: 413 naming the limit, before reading it. */
function refuseLargeUpload(max: number, what: string, variable: string): preParsingHookHandler {
  const refusal = (length: number | string) =>
    Object.assign(
      new DomainError(
        'payload_too_large',
        `${what}: ${length} bytes is more than the ${max}-byte limit (${variable})`,
      ),
      { statusCode: 413 },
    );
  return (request, _reply, payload, done) => {
    const length = Number(request.headers['content-length']);
    if (length > max) return done(refusal(length));
    // A chunked body states no length: counted as it streams, refused past the limit.
    let seen = 0;
    const bounded = new Transform({
      transform(chunk: Buffer, _enc, next) {
        seen += chunk.length;
        if (seen > max) return next(refusal(`more than ${max}`));
        next(null, chunk);
      },
    });
    payload.on('error', (e) => bounded.destroy(e));
    done(null, payload.pipe(bounded));
  };
}

/**
 * The e-mail webhook's own limit applies to raw MIME sent with its secret; any other body
 * there is held to BODY_LIMIT like everywhere else: refused on its Content-Length, or cut off
 * at the limit while it streams.
 */
function limitUnlessRawMime(config: AppConfig, limit: number): preParsingHookHandler {
  return (request, _reply, payload, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const secret = config.env.EMAIL_WEBHOOK_SECRET;
    const trusted =
      RAW_MIME_TYPES.includes(type) &&
      Boolean(secret) &&
      verifyInboundSecret(
        { url: request.url, method: request.method, headers: request.headers, body: {} },
        secret ?? '',
      );
    if (trusted) return done(null, payload);
    if (Number(request.headers['content-length']) > limit) return done(tooLarge());
    let seen = 0;
    const bounded = new Transform({
      transform(chunk: Buffer, _enc, next) {
        seen += chunk.length;
        if (seen > limit) return next(tooLarge());
        next(null, chunk);
      },
    });
    payload.on('error', (e) => bounded.destroy(e));
    done(null, payload.pipe(bounded));
  };
}

/** Request id (X-Request-Id echoed), access log lines and the request duration histogram. */
export function installRequestHooks(
  app: NestFastifyApplication,
  pino: Logger,
  metrics: MetricsService,
): void {
  const instance = app.getHttpAdapter().getInstance() as FastifyInstance;
  const log = requestLogging(pino);
  instance.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    // On the Node response, so that responses written to it directly (SSE) carry it too.
    reply.raw.setHeader('X-Request-Id', request.id);
    const raw = request.raw as IncomingMessage & { id?: string };
    raw.id = request.id;
    log(raw, reply.raw as ServerResponse, () => done());
  });
  instance.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
