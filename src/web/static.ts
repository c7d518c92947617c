import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'fs';
import { join } from 'path';


/** Serves the built web app at / and the chat widget at /widget.js, when they were built. */
export function mountStatic(app: NestExpressApplication): void {
  // src/web (ts) or dist/src/web (built): the project root is two or three levels up.
  const candidates = [join(__dirname, '..', '..', 'web', 'dist'), join(__dirname, '..', '..', '..', 'web', 'dist')];
  const dist = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (dist) app.useStaticAssets(dist, { index: 'index.html', maxAge: '1h' });
}
