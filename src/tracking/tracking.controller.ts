import { Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { TrackingService } from './tracking.service';
import { UnsubscribeService } from './unsubscribe.service';

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Public tracking endpoints: open pixel, signed click links, SMS short links, one-click unsubscribe. */
@ApiExcludeController()
@Controller()
export class TrackingController {
  constructor(
    private readonly tracking: TrackingService,
    private readonly unsubscribes: UnsubscribeService,
  ) {}

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

  /** A tiny confirmation page; its button POSTs the same one-click form a mailbox provider would. */
  @Get('u/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(@Param('token') token: string): string {
    const r = this.unsubscribes.read(token);
    if (r === null)
      throw new DomainError('bad_request', 'token: invalid or tampered unsubscribe link');
    return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Unsubscribe</title></head><body>
<p>Stop marketing messages on ${escapeHtml(r.channel)}?</p>
<form method="post" action="${escapeHtml(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
</body></html>`;
  }

  /** RFC 8058 one-click: no cookie, no confirmation, no redirect; 200 once the consent is revoked. */
  @Post('u/:token')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async oneClick(@Param('token') token: string): Promise<string> {
    const r = this.unsubscribes.read(token);
    if (r === null)
      throw new DomainError('bad_request', 'token: invalid or tampered unsubscribe link');
    await this.unsubscribes.unsubscribe(r);
    return 'You are unsubscribed.';
  }
}
