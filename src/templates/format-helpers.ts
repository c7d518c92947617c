/**
 * Formatting helpers registered on the engine's isolated Handlebars instance. The locale and
 * timezone come from the render's data frame (@locale, @timezone); Intl formatters are cached.
 */
import type Handlebars from 'handlebars';

type HelperOptions = Handlebars.HelperOptions;
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

function frame(options: HelperOptions): { locale: string; timezone: string } {
  const data = (options.data ?? {}) as { locale?: string; timezone?: string };
  return { locale: data.locale ?? 'en', timezone: data.timezone ?? 'UTC' };
}

function toDate(value: unknown, helper: string): Date {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : null;
  if (date === null || Number.isNaN(date.getTime()))
    throw new Error(`${helper}: not a date: ${String(value)}`);
  return date;
}

function toNumber(value: unknown, helper: string): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new Error(`${helper}: not a number: ${String(value)}`);
  return n;
}

type Style = 'full' | 'long' | 'medium' | 'short';
function styleOf(arg: unknown, fallback: Style): Style {
  return arg === 'full' || arg === 'long' || arg === 'medium' || arg === 'short' ? arg : fallback;
}

/** The last argument of a helper is Handlebars' options object. */
function split(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

function dateTimeHelper(kind: 'date' | 'time' | 'datetime') {
  return (...args: unknown[]): string => {
    const { params, options } = split(args);
    const { locale, timezone } = frame(options);
    const style = styleOf(params[1], kind === 'date' ? 'long' : 'short');
    const key = `${kind}|${locale}|${timezone}|${style}`;
    const format = cached(
      key,
      () =>
        new Intl.DateTimeFormat(locale, {
          timeZone: timezone,
          ...(kind !== 'time' ? { dateStyle: style } : {}),
          ...(kind !== 'date' ? { timeStyle: kind === 'time' ? style : 'short' } : {}),
        }),
    );
    return format.format(toDate(params[0], kind));
  };
}

export function registerFormatHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('date', dateTimeHelper('date'));
  hb.registerHelper('time', dateTimeHelper('time'));
  hb.registerHelper('datetime', dateTimeHelper('datetime'));
  hb.registerHelper('number', (...args: unknown[]) => {
    const { params, options } = split(args);
    const { locale } = frame(options);
    const digits = params[1] === undefined ? 2 : toNumber(params[1], 'number');
    const format = cached(
      `number|${locale}|${digits}`,
      () => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }),
    );
    return format.format(toNumber(params[0], 'number'));
  });
  hb.registerHelper('currency', (...args: unknown[]) => {
    const { params, options } = split(args);
    const { locale } = frame(options);
    const code = typeof params[1] === 'string' ? params[1].toUpperCase() : 'USD';
    const format = cached(
      `currency|${locale}|${code}`,
      () => new Intl.NumberFormat(locale, { style: 'currency', currency: code }),
    );
    return format.format(toNumber(params[0], 'currency'));
  });
}
