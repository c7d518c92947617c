/**
 * The template engine: an isolated Handlebars instance, shipped files plus overrides, locale
 * and variant fallback, strict variables, compiled once and cached. Reads files only when
 * asked to load a directory; rendering is pure CPU.
 */
import Handlebars from 'handlebars';
import { PURPOSES, type Channel, type Purpose } from '../common/names';
import { registerFormatHelpers } from './format-helpers';
import { syntaxError } from './handlebars-errors';
import { checkHelperCalls, REMOVED_HELPERS } from './helper-check';
import { localeChain } from './locale-chain';
import { DEFAULT_PURPOSES } from './purposes';
import {
  collapseSpace,
  COLLAPSE_SPACE_HELPER,
  compileEmailText,
} from './email-text-template';
import { renderCompiled } from './render-compiled';
import { TemplateError } from './template-error';
import { readTemplateDirectory } from './template-files';
import type {
  NamedSource,
  RenderOptions,
  RenderedTemplate,
  TemplateListing,
  TemplateOverride,
  TemplateSource,
} from './template-types';

import {
  getOrCreate,
  HTML_CHANNELS,
  overrideSource,
  slotKey,
  listTemplates,
  newerPublication,
  pickLocalized,
  pushNamed,
  templateId,
  type Compiled,
  type Delegate,
  type Slot,
  type TemplateEngineOptions,
} from './template-engine.parts';

export type { TemplateEngineOptions };

export class TemplateEngine {
  private readonly hb = Handlebars.create();
  private readonly defaultLocale: string;
  private readonly variantAttribute: string;
  private readonly slots = new Map<string, Slot>();
  private readonly layouts = new Map<string, NamedSource[]>();
  private readonly partials = new Map<string, NamedSource[]>();
  private readonly compiled = new Map<string, Compiled>();
  private readonly resolved = new Map<string, Map<Channel, Map<string, Map<string, Compiled>>>>();
  /** name -> locale -> [plain, html] delegates. */
  private readonly compiledPartials = new Map<
    string,
    Map<string, [Delegate | undefined, Delegate | undefined]>
  >();

  constructor(options: TemplateEngineOptions = {}) {
    this.defaultLocale = options.defaultLocale ?? 'en';
    this.variantAttribute = options.variantAttribute ?? 'tone';
    for (const name of REMOVED_HELPERS) this.hb.unregisterHelper(name);
    registerFormatHelpers(this.hb);
    this.hb.registerHelper(COLLAPSE_SPACE_HELPER, collapseSpace);
    if (options.directory !== undefined) this.loadDirectory(options.directory);
  }

  /** (Re)loads shipped files; overrides already set stay and keep winning. */
  loadDirectory(root: string): void {
    const dir = readTemplateDirectory(root);
    for (const slot of this.slots.values()) delete slot.file;
    for (const source of dir.templates) {
      this.compileCheck(source.body, {
        template: templateId(source),
        lineOffset: source.bodyLineOffset,
      });
      this.slotFor(source).file = source;
    }
    this.compiled.clear();
    this.layouts.clear();
    for (const layout of dir.layouts) pushNamed(this.layouts, layout);
    for (const name of this.partials.keys()) this.hb.unregisterPartial(name);
    this.partials.clear();
    for (const partial of dir.partials) pushNamed(this.partials, partial);
    for (const name of this.partials.keys())
      this.hb.registerPartial(name, this.partialFunction(name));
    this.invalidate();
  }

  /**
   * A version published in the database; wins over the shipped file for the same slot, and over
   * an override published before it (publishedAt, else the lower version).
   */
  setOverride(override: TemplateOverride): void {
    const source = overrideSource(override);
    const id = templateId(source);
    this.compileCheck(source.body, { template: id });
    if (source.subject !== undefined)
      this.compileCheck(source.subject, { template: `${id} (subject)` });
    const slot = this.slotFor(source);
    if (slot.override !== undefined && newerPublication(slot.override, source)) return;
    slot.override = source;
    this.invalidate();
  }

  /** Throws a TemplateError naming the line when the body does not compile or calls an unknown helper. */
  compileCheck(body: string, options: { template?: string; lineOffset?: number } = {}): void {
    const template = options.template ?? 'body';
    const lineOffset = options.lineOffset ?? 0;
    try {
      this.hb.precompile(body, { strict: true });
    } catch (error) {
      throw syntaxError(error, template, lineOffset);
    }
    checkHelperCalls(this.hb, body, template, lineOffset);
  }

  /**
   * Channels for which the key has at least one variant (any locale). WhatsApp counts when the
   * key has an SMS variant: WhatsApp without a variant of its own sends the SMS text.
   */
  availableChannels(key: string): Set<Channel> {
    const channels = new Set<Channel>();
    for (const slot of this.slots.values()) {
      const source = slot.override ?? slot.file;
      if (source !== undefined && source.key === key) channels.add(source.channel);
    }
    if (channels.has('sms')) channels.add('whatsapp');
    return channels;
  }

  /** True when the key has a variant written for this very channel (no fallback). */
  private hasOwnVariant(key: string, channel: Channel): boolean {
    for (const slot of this.slots.values()) {
      const source = slot.override ?? slot.file;
      if (source !== undefined && source.key === key && source.channel === channel) return true;
    }
    return false;
  }

  /**
   * The purposes the key may be sent for: those stated by its versions in use (the newest of
   * each channel, locale and variant); a version stating none takes its file's, else
   * DEFAULT_PURPOSES. null: no such key.
   */
  purposesOf(key: string): Purpose[] | null {
    const stated = new Set<Purpose>();
    let known = false;
    for (const slot of this.slots.values()) {
      const source = slot.override ?? slot.file;
      if (source === undefined || source.key !== key) continue;
      known = true;
      for (const p of source.purposes ?? slot.file?.purposes ?? DEFAULT_PURPOSES) stated.add(p);
    }
    return known ? PURPOSES.filter((p) => stated.has(p)) : null;
  }

  /** The exact slot's version in use (published override, else the file); null when the slot is empty. */
  sourceOf(
    key: string,
    channel: Channel,
    locale: string,
    variant: string | null,
  ): { subject: string | null; body: string; version: number; origin: 'file' | 'override' } | null {
    const slot = this.slots.get(slotKey(key, channel, variant, locale));
    const source = slot?.override ?? slot?.file;
    if (source === undefined) return null;
    return {
      subject: source.subject ?? null,
      body: source.body,
      version: source.version,
      origin: source.origin,
    };
  }

  list(): TemplateListing[] {
    return listTemplates(this.slots.values()).map((t) => ({
      ...t,
      purposes: this.purposesOf(t.key) ?? [...DEFAULT_PURPOSES],
    }));
  }

  render(key: string, channel: Channel, options: RenderOptions): RenderedTemplate {
    const wanted = options.variant ?? this.variantFromAttributes(options.attributes);
    if (channel === 'whatsapp' && !this.hasOwnVariant(key, 'whatsapp')) {
      // WhatsApp without its own variant sends the SMS text (no SMS segments on WhatsApp).
      const { segments: _segments, ...sms } = renderCompiled(
        this.resolve(key, 'sms', options.locale, wanted),
        options,
      );
      return { ...sms, channel: 'whatsapp' };
    }
    return renderCompiled(this.resolve(key, channel, options.locale, wanted), options);
  }

  /**
   * Renders a body that is not stored (an editor's draft) as if it were the slot's version: same
   * layout, partials and text alternative. Compiled for this call only, never cached.
   */
  renderUnsaved(override: TemplateOverride, options: RenderOptions): RenderedTemplate {
    return renderCompiled(this.compile(overrideSource(override), false), options);
  }

  private variantFromAttributes(attributes: RenderOptions['attributes']): string | undefined {
    const value = attributes?.[this.variantAttribute];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** Per locale in the chain: the wanted variant, then the default variant. */
  private resolve(
    key: string,
    channel: Channel,
    locale: string | undefined,
    variant: string | undefined,
  ): Compiled {
    const byLocale = this.resolvedFor(key, channel);
    const localeKey = locale ?? '';
    let byVariant = byLocale.get(localeKey);
    if (byVariant === undefined) {
      byVariant = new Map();
      byLocale.set(localeKey, byVariant);
    }
    const hit = byVariant.get(variant ?? '');
    if (hit !== undefined) return hit;
    const chain = localeChain(locale, this.defaultLocale);
    for (const candidate of chain) {
      const variants = variant === undefined ? [null] : [variant, null];
      for (const v of variants) {
        const slot = this.slots.get(slotKey(key, channel, v, candidate));
        const source = slot?.override ?? slot?.file;
        if (source === undefined) continue;
        const compiled = this.compile(source);
        byVariant.set(variant ?? '', compiled);
        return compiled;
      }
    }
    throw new TemplateError(
      'notFound',
      `no template ${key} for ${channel} in ${chain.join(', ')}`,
      {
        template: `${key}/${channel}`,
      },
    );
  }

  /** key -> channel -> locale -> variant: lookups without building a string per render. */
  private resolvedFor(key: string, channel: Channel): Map<string, Map<string, Compiled>> {
    let byChannel = this.resolved.get(key);
    if (byChannel === undefined) {
      byChannel = new Map();
      this.resolved.set(key, byChannel);
    }
    let byLocale = byChannel.get(channel);
    if (byLocale === undefined) {
      byLocale = new Map();
      byChannel.set(channel, byLocale);
    }
    return byLocale;
  }

  private compile(source: TemplateSource, cache = true): Compiled {
    const id = templateId(source);
    const cacheKey = `${slotKey(source.key, source.channel, source.variant, source.locale)}@${source.origin}:${source.version}`;
    const hit = cache ? this.compiled.get(cacheKey) : undefined;
    if (hit !== undefined) return hit;
    const html = HTML_CHANNELS.has(source.channel);
    const body = this.compileSource(source.body, id, source.bodyLineOffset, html);
    const subject =
      source.subject === undefined
        ? null
        : this.compileSource(source.subject, `${id} (subject)`, 0, false);
    const layoutName = source.layout ?? (html ? source.channel : 'none');
    let layout: Compiled['layout'] = null;
    if (layoutName !== 'none') {
      const layoutSource = pickLocalized(this.layouts, layoutName, source.locale, this.defaultLocale);
      if (layoutSource === null) {
        if (source.layout !== undefined) {
          throw new TemplateError(
            'notFound',
            `template ${id} names layout "${layoutName}", which does not exist`,
          );
        }
      } else {
        layout = {
          delegate: this.compileSource(layoutSource.body, `layout ${layoutSource.name}`, 0, html),
          source: layoutSource,
        };
      }
    }
    const text = html
      ? compileEmailText(this.hb, source, layout?.source.body ?? null, (name) =>
          pickLocalized(this.partials, name, source.locale, this.defaultLocale),
        )
      : null;
    const compiled: Compiled = {
      id,
      source,
      body,
      subject,
      layout,
      html,
      text,
      runtimes: new Map(),
    };
    if (cache) this.compiled.set(cacheKey, compiled);
    return compiled;
  }

  private compileSource(body: string, id: string, lineOffset: number, html: boolean): Delegate {
    this.compileCheck(body, { template: id, lineOffset });
    return this.hb.compile(body, { strict: true, noEscape: !html });
  }

  /** Partials pick their locale and escaping from the calling render's data frame. */
  private partialFunction(name: string): Handlebars.Template {
    return ((
      context: unknown,
      options: Handlebars.RuntimeOptions & { data?: { locale?: string; html?: boolean } },
    ) => {
      const locale = options.data?.locale ?? this.defaultLocale;
      const html = options.data?.html === true;
      const byLocale = getOrCreate(this.compiledPartials, name, () => new Map());
      const pair = getOrCreate(byLocale, locale, () => [undefined, undefined]);
      const index = html ? 1 : 0;
      let delegate = pair[index];
      if (delegate === undefined) {
        const source = pickLocalized(this.partials, name, locale, this.defaultLocale);
        if (source === null) throw new TemplateError('notFound', `partial ${name} not found`);
        delegate = this.compileSource(source.body, `partial ${name}`, 0, html);
        pair[index] = delegate;
      }
      return delegate(context, options);
    }) as unknown as Handlebars.Template;
  }

  private slotFor(source: TemplateSource): Slot {
    const key = slotKey(source.key, source.channel, source.variant, source.locale);
    return getOrCreate(this.slots, key, () => ({}));
  }

  private invalidate(): void {
    this.resolved.clear();
    this.compiledPartials.clear();
  }
}
