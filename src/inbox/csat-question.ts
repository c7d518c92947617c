import type { Channel } from '../common/names';
import type { TemplateEngine } from '../templates/template-engine';

/** Both languages, for a channel without a csat-request template or a template that fails. */
export const CSAT_QUESTION = 'How did we do? Reply 1-5 (5 = great) · 请回复 1-5 或 满意 / 不满意';

export interface CsatAsked {
  text: string;
  html: string | null;
  /** The locale of the template used; null for the bilingual fallback. */
  locale: string | null;
}

/**
 * The rating question in the customer's language: templates/csat-request for the channel,
 * picked along the locale chain (zh-CN -> zh -> en).
 */
export function csatQuestion(
  engine: TemplateEngine,
  channel: Channel,
  customer: { name: string; locale: string },
): CsatAsked {
  try {
    const r = engine.render('csat-request', channel, {
      locale: customer.locale,
      data: { customer: { name: customer.name } },
    });
    return { text: r.text, html: r.html ?? null, locale: r.locale };
  } catch {
    return { text: CSAT_QUESTION, html: null, locale: null };
  }
}
