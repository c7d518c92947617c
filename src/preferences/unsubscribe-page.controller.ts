import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { UnsubscribeService } from '../tracking/unsubscribe.service';
import { TrackingService } from '../tracking/tracking.service';
import { pickLanguage, t, type Language } from '../customer-texts/catalog';
import { esc, pageShell } from './page/html';
import { renderMessagePage } from './page/message-page';
import { browserLanguage, sendPage } from './page-reply';
import { PreferenceCentreService } from './preference-centre.service';
import { channelName } from '../customer-texts/route-explanations';

/**
 * The one-click unsubscribe link (GET /u/:token shows a page; POST /u/:token is RFC 8058's
 * one-click, answered 200 text without a cookie or redirect). The page is in the customer's
 * language and links to their preference centre; its own button posts with ?view=page and gets
 * the confirmation as a page in the same look.
 */
@ApiExcludeController()
@Controller('u')
export class UnsubscribePageController {
  constructor(
    private readonly unsubscribes: UnsubscribeService,
    private readonly tracking: TrackingService,
    private readonly centre: PreferenceCentreService,
  ) {}

  @Get(':token')
  async page(
    @Param('token') token: string,
    @Query('lang') langQuery: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const r = this.unsubscribes.read(token);
    if (r === null) {
      const lang = pickLanguage(langQuery, browserLanguage(req));
      const other: Language = lang === 'en' ? 'zh-CN' : 'en';
      return sendPage(
        reply,
        400,
        renderMessagePage({
          lang,
          title: t(lang, 'unsubscribe.title'),
          message: t(lang, 'error.invalidLink'),
          detail: t(other, 'error.invalidLink'),
          error: true,
        }),
      );
    }
    const lang = pickLanguage(langQuery, await this.localeOf(r.customerId));
    const channel = channelName(lang, r.channel);
    const body = `<p>${esc(t(lang, 'unsubscribe.question', { channel }))}</p>
<form method="post" action="${esc(token)}?view=page&amp;lang=${lang}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${esc(t(lang, 'unsubscribe.button'))}</button></form>
<p><a href="${esc(this.preferencesHref(r.customerId))}" data-testid="preferences-link">${esc(t(lang, 'unsubscribe.more'))}</a></p>`;
    await sendPage(
      reply,
      200,
      pageShell({
        lang,
        title: t(lang, 'unsubscribe.title'),
        body,
        hrefOf: (l) => `?lang=${l}`,
      }),
    );
  }

  /** RFC 8058 one-click: no cookie, no confirmation, no redirect; 200 once the consent is revoked. */
  @Post(':token')
  @HttpCode(200)
  async oneClick(
    @Param('token') token: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const r = this.unsubscribes.read(token);
    if (r === null)
      throw new DomainError('bad_request', 'token: invalid or tampered unsubscribe link');
    await this.unsubscribes.unsubscribe(r);
    if (query.view !== 'page') {
      await reply
        .status(200)
        .headers({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
        .send('You are unsubscribed.');
      return;
    }
    const lang = pickLanguage(query.lang, await this.localeOf(r.customerId));
    const html = renderMessagePage({
      lang,
      title: t(lang, 'unsubscribe.title'),
      message: t(lang, 'unsubscribe.done'),
      detail: t(lang, 'unsubscribe.doneDetail', { channel: channelName(lang, r.channel) }),
      backHref: () => this.preferencesHref(r.customerId),
      backLabel: t(lang, 'unsubscribe.more'),
    });
    await sendPage(reply, 200, html);
  }

  private async localeOf(customerId: string): Promise<string | null> {
    try {
      return (await this.centre.customer(customerId)).locale;
    } catch {
      return null;
    }
  }

  private preferencesHref(customerId: string): string {
    return this.tracking.preferenceLink(customerId).url;
  }
}
