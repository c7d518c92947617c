import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createReadStream, existsSync } from 'fs';
import { join } from 'path';
import { DomainError } from '../common/errors/domain-error';

/** src/livechat (ts) or dist/src/livechat (built): the project root is two or three levels up. */
function webFile(...parts: string[]): string | undefined {
  return [
    join(__dirname, '..', '..', 'web', ...parts),
    join(__dirname, '..', '..', '..', 'web', ...parts),
  ].find((p) => existsSync(p));
}

/** The embeddable chat widget (/widget.js) and the demo page that embeds it (/demo). */
@ApiExcludeController()
@Controller()
export class WidgetController {
  @Get('widget.js')
  async widget(@Res() res: FastifyReply): Promise<void> {
    const file = webFile('dist-widget', 'widget.js');
    if (!file)
      throw new DomainError(
        'not_found',
        'widget.js is not built: run npx vite build --config web/vite.widget.config.ts',
      );
    await res
      .headers({
        'Content-Type': 'application/javascript; charset=utf-8',
        'Cache-Control': 'public, max-age=300',
        'Cross-Origin-Resource-Policy': 'cross-origin',
      })
      .send(createReadStream(file));
  }

  @Get('demo')
  async demo(@Res() res: FastifyReply): Promise<void> {
    const file = webFile('demo.html');
    if (!file) throw new DomainError('not_found', 'the demo page web/demo.html is missing');
    await res
      .headers({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' })
      .send(createReadStream(file));
  }
}
