import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { TrackingService } from './tracking.service';

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Public tracking endpoints: open pixel, signed click links, SMS short links (unsubscribe: src/preferences). */
@ApiExcludeController()
@Controller()
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  /** The pixel is served whatever the token says (mail clients show broken images otherwise); only valid ones count. */
  @Get('t/o/:token')
  async open(@Param('token') token: string, @Res() res: FastifyReply): Promise<void> {
    const fields = this.tracking.signer.verify('o', token.replace(/\.gif$/, ''));
    if (fields !== null && fields.length === 3 && UUID.test(fields[0]) && UUID.test(fields[1])) {
      await this.tracking.record('open', fields[0], fields[1], fields[2]);
    }
    await res
      .status(200)
      .headers({ 'Content-Type': 'image/gif', 'Cache-Control': 'no-store, max-age=0' })
      .send(PIXEL);
  }

  /** Redirects only to the destination signed into the link; anything else is a 400, never a redirect. */
  @Get('t/c/:token')
  async click(@Param('token') token: string, @Res() res: FastifyReply): Promise<void> {
    const fields = this.tracking.signer.verify('c', token);
    if (
      fields === null ||
      fields.length !== 4 ||
      !UUID.test(fields[0]) ||
      !UUID.test(fields[1]) ||
      !/^https?:\/\//.test(fields[3])
    ) {
      throw new DomainError('bad_request', 'token: invalid or tampered tracking link');
    }
    await this.tracking.record('click', fields[0], fields[1], fields[2], fields[3]);
    await res.redirect(fields[3], 302);
  }

  @Get('s/:code')
  async short(@Param('code') code: string, @Res() res: FastifyReply): Promise<void> {
    const link = /^[A-Za-z0-9_-]{4,32}$/.test(code) ? await this.tracking.shortLink(code) : null;
    if (link === null)
      throw new DomainError('not_found', `code: short link ${code.slice(0, 32)} not found`);
    if (link.customerId)
      await this.tracking.record('click', link.campaignId, link.customerId, link.channel, link.url);
    await res.redirect(link.url, 302);
  }
}
