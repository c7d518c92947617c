import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { CHANNELS, PURPOSES } from '../common/names';
import { isMessageKey, LANGUAGES, pickLanguage, t, type Language } from '../customer-texts/catalog';
import { renderMessagePage } from './page/message-page';
import { renderPreferencePage } from './page/preference-page';
import { browserLanguage, evidenceOf, seeOther, sendPage } from './page-reply';
import {
  PageProblem,
  PreferenceCentreService,
  type PageVisitor,
} from './preference-centre.service';
import {
  ConsentForm,
  firstProblem,
  formFields,
  MatrixForm,
  QuietHoursForm,
} from './preference-forms';
import { channelName, purposeName } from '../customer-texts/route-explanations';

type RawRequest = FastifyRequest & { rawBody?: Buffer };

const DONE = new Set([
  'done.matrix',
  'done.matrixRemoved',
  'done.quiet',
  'done.granted',
  'done.revoked',
]);

/**
 * The preference centre, GET /p/:token: a customer's own page, opened from a signed link (no
 * login), where they choose channels per topic, quiet hours, time zone and consent, and see why
 * their latest messages came the way they did. Changes are plain form posts answered 303.
 */
@ApiExcludeController()
@Controller('p')
export class PreferenceCentreController {
  constructor(private readonly centre: PreferenceCentreService) {}

  @Get(':token')
  async page(
    @Param('token') token: string,
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.answer(req, reply, query.lang, token, async (visitor) => {
      const c = await this.centre.customer(visitor.customerId);
      const lang = pickLanguage(query.lang, c.locale);
      const model = await this.centre.page(visitor, token, lang, flashOf(lang, query));
      await sendPage(reply, 200, renderPreferencePage(model));
    });
  }

  @Post(':token/matrix')
  async matrix(@Param('token') token: string, @Req() req: RawRequest, @Res() reply: FastifyReply) {
    const fields = formFields(req.rawBody, req.headers['content-type']);
    await this.answer(req, reply, fields.lang, token, async (visitor, lang) => {
      const form = parse(MatrixForm, fields);
      const done = await this.centre.changeMatrix(visitor, form, evidenceOf(req));
      await seeOther(reply, back(token, lang, { done }));
    });
  }

  @Post(':token/quiet-hours')
  async quietHours(
    @Param('token') token: string,
    @Req() req: RawRequest,
    @Res() reply: FastifyReply,
  ) {
    const fields = formFields(req.rawBody, req.headers['content-type']);
    await this.answer(req, reply, fields.lang, token, async (visitor, lang) => {
      const form = parse(QuietHoursForm, fields);
      const done = await this.centre.changeQuietHours(visitor, form, evidenceOf(req));
      await seeOther(reply, back(token, lang, { done }));
    });
  }

  @Post(':token/consent')
  async consent(@Param('token') token: string, @Req() req: RawRequest, @Res() reply: FastifyReply) {
    const fields = formFields(req.rawBody, req.headers['content-type']);
    await this.answer(req, reply, fields.lang, token, async (visitor, lang) => {
      const form = parse(ConsentForm, fields);
      const r = await this.centre.changeConsent(visitor, form, evidenceOf(req));
      await seeOther(reply, back(token, lang, { done: r.done, ch: r.channel, pu: r.purpose }));
    });
  }

  /**
   * Verifies the token, runs `work` in the customer's language (or ?lang=), and turns every
   * refusal into a page saying what went wrong: a bad or expired link, a locked purpose, a field
   * that does not validate. Never a 500 for anything the visitor sent.
   */
  private async answer(
    req: FastifyRequest,
    reply: FastifyReply,
    langField: unknown,
    token: string,
    work: (visitor: PageVisitor, lang: Language) => Promise<void>,
  ): Promise<void> {
    let lang = pickLanguage(langField, browserLanguage(req));
    let visitor: PageVisitor;
    try {
      visitor = this.centre.visitor(token);
    } catch (e) {
      if (!(e instanceof PageProblem)) throw e;
      // No customer to ask: the message in the chosen language, then in the other one.
      const other = LANGUAGES.find((l) => l !== lang) ?? 'en';
      const html = renderMessagePage({
        lang,
        title: t(lang, 'error.title'),
        message: t(lang, e.key, e.vars),
        detail: t(other, e.key, e.vars),
        error: true,
      });
      return sendPage(reply, e.status, html);
    }
    try {
      const c = await this.centre.customer(visitor.customerId);
      lang = pickLanguage(langField, c.locale);
      await work(visitor, lang);
    } catch (e) {
      if (!(e instanceof PageProblem)) throw e;
      const message = isMessageKey(e.key) ? t(lang, e.key, e.vars) : t(lang, 'bad.form');
      const html = renderMessagePage({
        lang,
        title: t(lang, 'error.title'),
        message,
        detail: e.detail,
        error: true,
        backHref: (l) => back(token, l, {}, req.method === 'POST'),
      });
      await sendPage(reply, e.status, html);
    }
  }
}

function parse<S extends z.ZodType>(schema: S, fields: Record<string, string>): z.output<S> {
  const r = schema.safeParse(fields);
  if (r.success) return r.data;
  const { key, field } = firstProblem(r.error);
  if (!isMessageKey(key)) throw new PageProblem(400, 'bad.form', {}, field);
  throw new PageProblem(400, key, {}, field ? `(${field})` : undefined);
}

/** The page again, relative to where the request was (the page itself, or one of its forms). */
function back(
  token: string,
  lang: Language,
  query: Record<string, string>,
  fromForm = true,
): string {
  const params = new URLSearchParams({ lang, ...query });
  return `${fromForm ? `../${token}` : token}?${params.toString()}`;
}

function flashOf(lang: Language, query: Record<string, unknown>): string | null {
  const done = query.done;
  if (typeof done !== 'string' || !DONE.has(done) || !isMessageKey(done)) return null;
  const ch = (CHANNELS as readonly unknown[]).includes(query.ch) ? String(query.ch) : '';
  const pu = (PURPOSES as readonly unknown[]).includes(query.pu) ? String(query.pu) : '';
  return t(lang, done, { channel: channelName(lang, ch), purpose: purposeName(lang, pu) });
}
