import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'fs';
import { join } from 'path';

const NOT_STATIC = /^\/(api|webhooks|socket\.io|health|metrics|docs)(\/|$)/;

/** Serves the built web app at /, when it was built; API paths never touch the file system. */
export function mountStatic(app: NestExpressApplication): void {
  // src/web (ts) or dist/src/web (built): the project root is two or three levels up.
  const candidates = [
    join(__dirname, '..', '..', 'web', 'dist'),
    join(__dirname, '..', '..', '..', 'web', 'dist'),
  ];
  const dist = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!dist) return;
  const serve = express.static(dist, { index: 'index.html', maxAge: '1h' });
  app.use((req: Request, res: Response, next: NextFunction) =>
    NOT_STATIC.test(req.path) ? next() : serve(req, res, next),
  );
}
