/** The engine's internal records and naming: what a slot holds, what compiling one yields. */
import type Handlebars from 'handlebars';
import type { Channel } from '../common/names';
import type { EmailTextTemplate } from './email-text-template';
import { localeChain } from './locale-chain';
import { renderError } from './handlebars-errors';
import type {
  NamedSource,
  TemplateListing,
  TemplateOverride,
  TemplateSource,
} from './template-types';

export type Delegate = Handlebars.TemplateDelegate;

export interface TemplateEngineOptions {
  /** templates/ root to load at construction. */
  directory?: string;
  /** Last locale of every fallback chain (default 'en'). */
  defaultLocale?: string;
  /** Customer attribute that names the variant (default 'tone'). */
  variantAttribute?: string;
}

export interface Slot {
  file?: TemplateSource;
  override?: TemplateSource;
}

export interface Compiled {
  id: string;
  source: TemplateSource;
  body: Delegate;
  subject: Delegate | null;
  layout: { delegate: Delegate; source: NamedSource } | null;
  html: boolean;
  /** Email: the text alternative as a template (email-text-template.ts), when derivable. */
  text: EmailTextTemplate | null;
  /** Runtime options per timezone (Handlebars reads them, never writes). */
  runtimes: Map<string, Handlebars.RuntimeOptions>;
}

export const HTML_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['email']);

export function templateId(s: { key: string; channel: Channel; variant?: string | null; locale: string }): string {
  return `${s.key}/${s.channel}${s.variant ? `.${s.variant}` : ''}.${s.locale}`;
}

export function slotKey(key: string, channel: Channel, variant: string | null, locale: string): string {
  return `${key}/${channel}/${variant ?? ''}/${locale}`;
}

/** Every key with its channels and versions, the newest (override or file) per slot. */
export function listTemplates(slots: Iterable<Slot>): TemplateListing[] {
  const byKey = new Map<string, TemplateListing>();
  for (const slot of slots) {
    const source = slot.override ?? slot.file;
    if (source === undefined) continue;
    let entry = byKey.get(source.key);
    if (entry === undefined) {
      entry = { key: source.key, channels: [], versions: [] };
      byKey.set(source.key, entry);
    }
    if (entry.description === undefined && source.description !== undefined)
      entry.description = source.description;
    if (!entry.channels.includes(source.channel)) entry.channels.push(source.channel);
    entry.versions.push({
      channel: source.channel,
      locale: source.locale,
      variant: source.variant,
      version: source.version,
      origin: source.origin,
      ...(source.subject !== undefined ? { subject: source.subject } : {}),
    });
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** The source of a layout or partial for a locale: its fallback chain, then the unlocalized one. */
export function pickLocalized(
  store: Map<string, NamedSource[]>,
  name: string,
  locale: string,
  defaultLocale: string,
): NamedSource | null {
  const sources = store.get(name);
  if (sources === undefined) return null;
  for (const candidate of localeChain(locale, defaultLocale)) {
    const found = sources.find((s) => s.locale === candidate);
    if (found !== undefined) return found;
  }
  return sources.find((s) => s.locale === null) ?? null;
}

/** Adds a layout or partial source under its name (one entry per locale). */
export function pushNamed(store: Map<string, NamedSource[]>, source: NamedSource): void {
  const list = store.get(source.name);
  if (list === undefined) store.set(source.name, [source]);
  else list.push(source);
}

/** The value under `key`, made and stored by `make` the first time. */
export function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** A version from the database as a source, in the shape shipped files take. */
export function overrideSource(override: TemplateOverride): TemplateSource {
  return {
    key: override.key,
    channel: override.channel,
    locale: override.locale,
    variant: override.variant ?? null,
    subject: override.subject,
    layout: override.layout,
    description: override.description,
    purposes: override.purposes,
    body: override.body,
    bodyLineOffset: 0,
    version: override.version,
    ...(override.publishedAt !== undefined ? { publishedAt: override.publishedAt } : {}),
    origin: 'override',
  };
}

/** Which of two overrides of a slot is the newer publication: publication time, then version. */
export function newerPublication(a: TemplateSource, b: TemplateSource): boolean {
  const at = a.publishedAt ?? 0;
  const bt = b.publishedAt ?? 0;
  return at !== bt ? at > bt : a.version > b.version;
}

/** Handlebars copies the data frame per call, so one runtime object per (template, timezone) is shared. */
export function runtimeFor(compiled: Compiled, timezone: string | undefined): Handlebars.RuntimeOptions {
  const zone = timezone ?? 'UTC';
  // Read on every render: no closure allocated for the lookup.
  let runtime = compiled.runtimes.get(zone);
  if (runtime === undefined) {
    runtime = { data: { locale: compiled.source.locale, timezone: zone, html: compiled.html } };
    compiled.runtimes.set(zone, runtime);
  }
  return runtime;
}

/** Runs a compiled template; a failure becomes a TemplateError naming the template and line. */
export function runDelegate(
  delegate: Delegate,
  context: unknown,
  runtime: Handlebars.RuntimeOptions,
  id: string,
  source: string,
  lineOffset: number,
): string {
  try {
    return delegate(context, runtime);
  } catch (error) {
    throw renderError(error, id, source, lineOffset);
  }
}
