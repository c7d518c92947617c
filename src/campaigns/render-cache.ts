/**
 * Campaign rendering with a per-batch cache. Most recipients of a batch differ only in their
 * name, unsubscribe link and preference-centre link, so a (template, channel, locale, tone, timezone) slot is rendered
 * once with sentinel values and the sentinels are replaced per recipient (HTML-escaped in HTML).
 * A slot is cached only when two probes with different sentinels give the same output up to the
 * swap (no helper transformed them) and the name shows verbatim; otherwise every recipient is
 * rendered in full. The text
 * alternative of an email is wrapped around the sentinel, so its line breaks can differ slightly
 * from a full render when names are much longer or shorter.
 */
import type { Channel } from '../common/names';
import { countSmsSegments } from '../templates/sms-segments';
import type { TemplateEngine } from '../templates/template-engine';
import { templateHttpError } from '../templates/template-http-errors';
import type { RenderedTemplate } from '../templates/template-types';

const NAME = ['zqxnameaqxz', 'zqxnamebqxz'] as const;
const LINK = ['zqxlinkaqxz', 'zqxlinkbqxz'] as const;
const PREFS = ['zqxprefsaqxz', 'zqxprefsbqxz'] as const;
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]);

export interface RecipientRender {
  template: string;
  channel: Channel;
  locale: string;
  timezone: string;
  attributes: Readonly<Record<string, unknown>>;
  displayName: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

type Slot = { ok: true; rendered: RenderedTemplate } | { ok: false; error: unknown } | null;

export class CampaignRenderCache {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly engine: TemplateEngine,
    private readonly data: Readonly<Record<string, unknown>>,
  ) {}

  render(r: RecipientRender): RenderedTemplate {
    const tone = r.attributes.tone;
    const key = `${r.template}\u0000${r.channel}\u0000${r.locale}\u0000${typeof tone === 'string' ? tone : ''}\u0000${r.timezone}`;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.probe(r);
      this.slots.set(key, slot);
    }
    if (slot === null) return this.full(r, r.displayName, r.unsubscribeUrl, r.preferencesUrl);
    if (!slot.ok) throw slot.error;
    const t = slot.rendered;
    // Replacer functions: a name is inserted as it is, even one with "$&" in it.
    const link = () => r.unsubscribeUrl;
    const prefs = () => r.preferencesUrl;
    const swap = (s: string, name: string) => {
      const named = () => name;
      return s.replaceAll(NAME[0], named).replaceAll(LINK[0], link).replaceAll(PREFS[0], prefs);
    };
    const text = swap(t.text, r.displayName);
    return {
      ...t,
      text,
      ...(t.html !== undefined ? { html: swap(t.html, escapeHtml(r.displayName)) } : {}),
      ...(t.subject !== undefined ? { subject: swap(t.subject, r.displayName) } : {}),
      ...(t.segments !== undefined ? { segments: countSmsSegments(text) } : {}),
    };
  }

  private probe(r: RecipientRender): Slot {
    let a: RenderedTemplate;
    let b: RenderedTemplate;
    try {
      a = this.full(r, NAME[0], LINK[0], PREFS[0]);
      b = this.full(r, NAME[1], LINK[1], PREFS[1]);
    } catch (error) {
      return { ok: false, error };
    }
    const norm = (s: string | undefined) =>
      s?.split(NAME[1]).join(NAME[0]).split(LINK[1]).join(LINK[0]).split(PREFS[1]).join(PREFS[0]);
    const same =
      norm(b.text) === a.text && norm(b.html) === a.html && norm(b.subject) === a.subject;
    const all = `${a.text}\n${a.html ?? ''}\n${a.subject ?? ''}`;
    const transformed =
      (all.toLowerCase().match(/zqx(name|link|prefs)aqxz/g)?.length ?? 0) !==
      (all.match(/zqx(name|link|prefs)aqxz/g)?.length ?? 0);
    // A name that never shows in the output may still steer it (a lookup key, a condition): no cache then.
    const shown = all.includes(NAME[0]);
    return same && !transformed && shown ? { ok: true, rendered: a } : null;
  }

  private full(
    r: RecipientRender,
    name: string,
    unsubscribeUrl: string,
    preferencesUrl: string,
  ): RenderedTemplate {
    const given = this.data.customer;
    const customer = {
      name,
      ...(given !== null && typeof given === 'object' ? (given as Record<string, unknown>) : {}),
    };
    try {
      return this.engine.render(r.template, r.channel, {
        locale: r.locale,
        attributes: r.attributes,
        timezone: r.timezone,
        data: { ...this.data, unsubscribeUrl, preferencesUrl, customer },
      });
    } catch (e) {
      throw templateHttpError(e, 'unprocessable');
    }
  }
}
