import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'fs';
import { join } from 'path';
import { Public } from '../auth/auth.decorators';
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
  @Public()
  @Get('widget.js')
  widget(@Res() res: Response): void {
    const file = webFile('dist-widget', 'widget.js');
    if (!file)
      throw new DomainError(
        'not_found',
        'widget.js is not built: run npx vite build --config web/vite.widget.config.ts',
      );
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.sendFile(file);
  }

  @Public()
  @Get('demo')
  demo(@Res() res: Response): void {
    const file = webFile('demo.html');
    if (!file) throw new DomainError('not_found', 'the demo page web/demo.html is missing');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(file);
  }
}
