import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Directives = Record<string, string[] | null>;

/**
 * The policy of every page and API answer. Scripts only from the hub itself, no plugins, no
 * <base> or form posts elsewhere, never framed. Styles may be inline (the demo page, the
 * widget's own <style>, e-mail HTML). Images, fonts and styles may come from anywhere at this
 * level because an inbound e-mail's formatted view is a srcdoc frame, which inherits this
 * policy: that frame carries its own stricter policy (no remote content) until the agent asks
 * for remote content (web/src/email-frame.ts). No upgrade-insecure-requests: the hub is also
 * served over plain http (loopback, development).
 */
export const PAGE_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'", 'https:', 'http:'],
  'img-src': ["'self'", 'data:', 'blob:', 'https:', 'http:'],
  'font-src': ["'self'", 'data:', 'https:', 'http:'],
  'media-src': ["'self'", 'blob:', 'https:'],
  'connect-src': ["'self'"],
  'frame-src': ["'self'"],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'upgrade-insecure-requests': null,
};

/** Swagger UI at /docs: its page carries inline scripts and styles; still never framed. */
export const DOCS_DIRECTIVES: Directives = {
  ...PAGE_DIRECTIVES,
  'script-src': ["'self'", "'unsafe-inline'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'https:'],
  'font-src': ["'self'", 'data:'],
};

const DOCS = /^\/docs(\/|$)/i;
/** The open-tracking pixel is an image inside mail read on other sites (webmail). */
const CROSS_ORIGIN_RESOURCES = /^\/t\/o\//i;

export const HELMET_OPTIONS: FastifyHelmetOptions = {
  global: true,
  contentSecurityPolicy: { useDefaults: false, directives: PAGE_DIRECTIVES },
  // Destinations of tracked links see the hub's origin, never a path carrying a token.
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  xFrameOptions: { action: 'deny' },
  // The widget script (/widget.js) and the pixel are loaded by other sites; they set their own.
  crossOriginResourcePolicy: { policy: 'same-origin' },
  crossOriginEmbedderPolicy: false,
};

/**
 * Security headers (@fastify/helmet) on every response: CSP with frame-ancestors 'none',
 * X-Content-Type-Options nosniff, Referrer-Policy, X-Frame-Options DENY and helmet's other
 * defaults; /docs gets the relaxed policy Swagger UI needs.
 */
export async function useSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  const instance = app.getHttpAdapter().getInstance() as FastifyInstance;
  await instance.register(fastifyHelmet, HELMET_OPTIONS);
  instance.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    const path = request.url;
    if (DOCS.test(path)) {
      void reply.helmet({
        contentSecurityPolicy: { useDefaults: false, directives: DOCS_DIRECTIVES },
      });
    } else if (CROSS_ORIGIN_RESOURCES.test(path)) {
      reply.raw.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    }
    done();
  });
}
