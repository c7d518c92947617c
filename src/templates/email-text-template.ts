/**
 * An email's text alternative as a template of its own, derived once from the HTML template
 * source: html-to-text runs over the source (layout, body and partials inlined, each mustache
 * held by a placeholder) at compile time instead of over every rendered message. Sources this
 * cannot follow exactly (blocks, raw HTML values, tables, whitespace control, placeholders that
 * html-to-text would reshape) derive nothing, and the engine converts each rendered page instead.
 */
import { Logger } from '@nestjs/common';
import type Handlebars from 'handlebars';
import { htmlToPlainText } from './plain-text';

/**
 * Collapses whitespace in a value as html-to-text does in a text node, and trims it: where a
 * value meets a line's start or end html-to-text drops that whitespace, and between words a
 * value's own leading or trailing blank would only double a space. (One difference remains: a
 * paragraph left empty by an empty value keeps its blank line.)
 */
export const COLLAPSE_SPACE_HELPER = '__collapseSpace';

export function collapseSpace(value: unknown): string {
  return String(value ?? '')
    .replace(/[ \t\r\n\f\u200b]+/g, ' ')
    .trim();
}

export interface EmailTextInputs {
  body: string;
  /** The layout's source, which places the body with exactly one {{{body}}}; null without one. */
  layout: string | null;
  /** A partial's source for the template's locale, or null when there is none. */
  partial: (name: string) => string | null;
  isHelper: (name: string) => boolean;
}

const COMMENT = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g;
const PARTIAL = /\{\{>\s*([\w.-]+)\s*\}\}/g;
const HAS_PARTIAL = /\{\{>\s*[\w.-]+\s*\}\}/;
const LAYOUT_BODY = /\{\{\{\s*body\s*\}\}\}/g;
/** Blocks, raw values, whitespace control, escaped mustaches, scope jumps. */
const UNFOLLOWABLE = /\{\{\{|\{\{\s*[#^/>&~]|\{\{\s*else\b|~\s*\}\}|\\\{\{|@root|\.\.\//;
/** Markup whose text html-to-text lays out by the length of its content. */
const LENGTH_SENSITIVE = /<(table|pre|textarea)\b/i;
const MUSTACHE = /\{\{([^{}]+)\}\}/g;
const PLACEHOLDER = /hbsph(\d+)q/g;
const MAX_PARTIAL_DEPTH = 5;

export interface EmailTextSource {
  source: string;
  /** Whether a value names `subject`, which the layout's context binds to the rendered subject. */
  usesSubject: boolean;
}

/** The text template's source, or null when only converting each rendered page is exact. */
export function deriveEmailTextSource(inputs: EmailTextInputs): EmailTextSource | null {
  const composed = composeSource(inputs);
  if (composed === null || UNFOLLOWABLE.test(composed) || LENGTH_SENSITIVE.test(composed))
    return null;

  // The same expression gets the same placeholder, so a link whose text is its address
  // is recognised as such ("hide the address when it equals the text").
  const expressions: string[] = [];
  const indexOf = new Map<string, number>();
  const held = composed.replace(MUSTACHE, (_whole, inner: string) => {
    const expression = inner.trim();
    let index = indexOf.get(expression);
    if (index === undefined) {
      index = expressions.push(expression) - 1;
      indexOf.set(expression, index);
    }
    return `hbsph${index}q`;
  });
  if (held.includes('{{') || held.includes('}}')) return null;

  const text = htmlToPlainText(held);
  // A literal that decodes to a mustache, or a placeholder html-to-text changed (uppercased
  // headings) or glued to a backslash: the derived template would not say the same.
  if (text.includes('{{') || text.includes('}}') || /\\hbsph/i.test(text)) return null;
  const seen = text.match(/hbsph/gi)?.length ?? 0;
  if (seen !== (text.match(PLACEHOLDER)?.length ?? 0)) return null;

  const used = new Set<string>();
  const source = text.replace(PLACEHOLDER, (_whole, index: string) => {
    used.add(expressions[Number(index)]);
    return mustacheFor(expressions[Number(index)], inputs.isHelper);
  });
  const usesSubject = [...used].some((e) => /(^|[\s(=])subject\b/.test(e));
  return { source, usesSubject };
}

function composeSource(inputs: EmailTextInputs): string | null {
  let source = inputs.body;
  if (inputs.layout !== null) {
    const parts = inputs.layout.split(LAYOUT_BODY);
    if (parts.length !== 2) return null;
    source = parts[0] + inputs.body + parts[1];
  }
  source = source.replace(COMMENT, '');
  for (let depth = 0; HAS_PARTIAL.test(source); depth++) {
    if (depth === MAX_PARTIAL_DEPTH) return null;
    let missing = false;
    source = source.replace(PARTIAL, (_whole, name: string) => {
      const partial = inputs.partial(name);
      if (partial === null) missing = true;
      return (partial ?? '').replace(COMMENT, '');
    });
    if (missing) return null;
  }
  return source;
}

/** The value's mustache in the text template: unescaped, its whitespace collapsed. */
function mustacheFor(expression: string, isHelper: (name: string) => boolean): string {
  const call = /\s/.test(expression) || isHelper(expression);
  return call
    ? `{{${COLLAPSE_SPACE_HELPER} (${expression})}}`
    : `{{${COLLAPSE_SPACE_HELPER} ${expression}}}`;
}

/**
 * The text alternative of one rendered email: the derived template when there is one, else
 * the page converted. With a layout the template sees the layout's context (the rendered
 * subject over data.subject), so a data.subject that differs from it converts the page.
 */
export interface EmailTextTemplate {
  delegate: Handlebars.TemplateDelegate;
  usesSubject: boolean;
}

const log = new Logger('EmailText');
/** Derived templates whose failure was logged: once each, not once per message. */
const failureLogged = new WeakSet<EmailTextTemplate>();

export function emailText(
  template: EmailTextTemplate | null,
  withLayout: boolean,
  page: {
    data: Readonly<Record<string, unknown>>;
    subject: string | undefined;
    html: string;
    runtime: Handlebars.RuntimeOptions;
  },
): string {
  const { data, html, runtime } = page;
  if (template === null) return htmlToPlainText(html);
  const subject = page.subject ?? '';
  const layoutSubject = withLayout && template.usesSubject;
  if (layoutSubject && Object.hasOwn(data, 'subject') && data.subject !== subject)
    return htmlToPlainText(html);
  try {
    return template.delegate(layoutSubject ? { ...data, subject } : data, runtime).trim();
  } catch (e) {
    // The page rendered with the same data, so this is the derivation's fault, not the data's:
    // the message gets its page converted, and the log says the derived template failed.
    if (!failureLogged.has(template)) {
      failureLogged.add(template);
      log.warn(
        `derived text template failed, converting the page instead: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    return htmlToPlainText(html);
  }
}

/** The derived text template of an email source, compiled on the engine's instance; null when none. */
export function compileEmailText(
  hb: typeof Handlebars,
  source: { body: string },
  layout: string | null,
  partial: (name: string) => { body: string } | null,
): EmailTextTemplate | null {
  const text = deriveEmailTextSource({
    body: source.body,
    layout,
    partial: (name) => partial(name)?.body ?? null,
    isHelper: (name) => Object.hasOwn(hb.helpers, name),
  });
  if (text === null) return null;
  const delegate = hb.compile(text.source, { strict: true, noEscape: true });
  return { delegate, usesSubject: text.usesSubject };
}
