import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'fs';
import { join } from 'path';

const NOT_STATIC = /^\/(api|webhooks|socket\.io|health|metrics|docs)(\/|$)/i;

/** Serves the built web app at /, when it was built; API paths never touch the file system. */
export async function mountStatic(app: NestFastifyApplication): Promise<void> {
  // src/web (ts) or dist/src/web (built): the project root is two or three levels up.
  const candidates = [
    join(__dirname, '..', '..', 'web', 'dist'),
    join(__dirname, '..', '..', '..', 'web', 'dist'),
  ];
  const dist = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!dist) return;
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    index: 'index.html',
    maxAge: '1h',
    // Swagger UI registers this plugin too: one reply.sendFile decoration is enough.
    decorateReply: false,
    allowedPath: (path) => !NOT_STATIC.test(path),
  });
}
