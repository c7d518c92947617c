import type { Channel, Purpose } from '../common/names';
import type { SmsSegments } from './sms-segments';

/** One template body for (key, channel, locale, variant), from a file or an override. */
export interface TemplateSource {
  key: string;
  channel: Channel;
  locale: string;
  /** null = the default variant. */
  variant: string | null;
  subject?: string;
  /** Layout name under templates/_layouts ('none' = no layout); email defaults to 'email'. */
  layout?: string;
  description?: string;
  /** What it may be sent for (front matter `purposes:`, or the API version's); unset: DEFAULT_PURPOSES. */
  purposes?: Purpose[];
  body: string;
  /** Lines before the body in its file (front matter), so errors name file lines. */
  bodyLineOffset: number;
  /** 0 for shipped files; overrides carry their database version. */
  version: number;
  /** Overrides: when published (ms); a later publication wins (a rollback re-publishes an older version). */
  publishedAt?: number;
  origin: 'file' | 'override';
  path?: string;
}

/** A partial or a layout: templates/_partials/<name>[.<locale>].hbs, _layouts/<name>[.<locale>].hbs. */
export interface NamedSource {
  name: string;
  locale: string | null;
  body: string;
  path: string;
}

export interface TemplateOverride {
  key: string;
  channel: Channel;
  locale: string;
  variant?: string | null;
  subject?: string;
  layout?: string;
  description?: string;
  purposes?: Purpose[];
  body: string;
  version: number;
  /** When it was published (ms since the epoch); unset: the higher version wins. */
  publishedAt?: number;
}

export interface RenderOptions {
  locale?: string;
  /** Explicit variant; otherwise taken from attributes[variantAttribute] (default 'tone'). */
  variant?: string;
  attributes?: Readonly<Record<string, unknown>>;
  /** IANA timezone for the date helpers (default UTC). */
  timezone?: string;
  data: Readonly<Record<string, unknown>>;
}

export interface RenderedTemplate {
  key: string;
  channel: Channel;
  subject?: string;
  text: string;
  html?: string;
  segments?: SmsSegments;
  /** The locale of the template actually used (after fallback). */
  locale: string;
  variant: string | null;
  version: number;
}

export interface TemplateListing {
  key: string;
  description?: string;
  /** What the template may be sent for (TemplateEngine.purposesOf). */
  purposes?: Purpose[];
  channels: Channel[];
  versions: {
    channel: Channel;
    locale: string;
    variant: string | null;
    version: number;
    origin: 'file' | 'override';
    subject?: string;
  }[];
}
