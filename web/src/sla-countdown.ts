// What an SLA badge says and how urgent it looks: pure, so the list and the header agree.
import type { MessageKey } from './i18n/catalogs';
import type { Sla } from './types';

/** The app's t(), passed in so this stays pure (and testable without a browser). */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Under this much time left the countdown turns amber (the server warns at the same point). */
export const SLA_WARNING_MS = 15 * 60_000;

export type SlaTone = 'ok' | 'warn' | 'danger';

export function slaDuration(ms: number, t: Translate): string {
  const minutes = Math.max(1, Math.ceil(Math.abs(ms) / 60_000));
  if (minutes < 60) return t('sla.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('sla.hours', { h: hours, m: minutes % 60 });
  return t('sla.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

export function slaBadge(
  sla: Sla,
  now: number,
  t: Translate,
): { tone: SlaTone; text: string; title: string } {
  const kind = t(sla.kind === 'first_response' ? 'sla.first_response' : 'sla.resolution');
  const left = Date.parse(sla.dueAt) - now;
  if (sla.breachedAt || left <= 0) {
    const title = sla.breachedAt
      ? t('sla.breached', { kind })
      : t('sla.overdue', { kind, time: slaDuration(left, t) });
    return { tone: 'danger', text: left <= 0 ? `-${slaDuration(left, t)}` : 'SLA', title };
  }
  return {
    tone: left < SLA_WARNING_MS ? 'warn' : 'ok',
    text: slaDuration(left, t),
    title: t('sla.dueIn', { kind, time: slaDuration(left, t) }),
  };
}
