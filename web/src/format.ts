import { locale, t } from './i18n';
import type { Channel, Conversation, Customer, Filters, User } from './types';

/** Channel names in the app's language (the language is fixed for a page load; a switch reloads). */
export const CHANNEL_LABEL: Record<Channel, string> = {
  email: t('channel.email'),
  sms: t('channel.sms'),
  voice: t('channel.voice'),
  wechat: t('channel.wechat'),
  livechat: t('channel.livechat'),
  whatsapp: t('channel.whatsapp'),
};

export const CHANNEL_SHORT: Record<Channel, string> = {
  email: '@',
  sms: 'SMS',
  voice: 'TEL',
  wechat: 'WX',
  livechat: 'CHAT',
  whatsapp: 'WA',
};

/** "14:05" today, "Mon 14:05" this week, "3 Mar" otherwise, in the app's locale (zh-CN: 24-hour, 周一, 3月3日). */
export function shortTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const hm = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return hm;
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  if (days < 6 && days > 0) return `${d.toLocaleDateString(locale, { weekday: 'short' })} ${hm}`;
  return d.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

export function fullTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function duration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function fileSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Substitutes {{customer.field}} (and {{agent.name}}) in a canned response; unknown fields are left as written. */
export function fillCanned(text: string, customer: Customer | null, agent: User | null): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, path: string) => {
    const [root, ...rest] = path.split('.');
    let value: unknown = root === 'customer' ? customer : root === 'agent' ? agent : undefined;
    for (const key of rest) {
      if (value && typeof value === 'object') value = (value as Record<string, unknown>)[key];
      else value = undefined;
    }
    if (value === undefined && root === 'customer' && customer?.attributes && rest.length === 1) {
      value = customer.attributes[rest[0]];
    }
    return value === undefined || value === null ? whole : String(value);
  });
}

/** Whether a conversation belongs in the list under the current filters (applied to live socket updates). */
export function matchesFilters(c: Conversation, f: Filters, me: User | null): boolean {
  if (f.status !== 'all' && c.status !== f.status) return false;
  if (f.assignee === 'me' && (!me || c.assigneeId !== me.id)) return false;
  if (f.assignee === 'none' && c.assigneeId) return false;
  if (f.channel && c.lastChannel !== f.channel) return false;
  if (f.tag && !(c.tags ?? []).includes(f.tag)) return false;
  const q = f.q.trim().toLowerCase();
  if (q) {
    const hay = `${c.customer?.displayName ?? ''} ${c.lastMessagePreview ?? ''}`.toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}

/** Only http(s) and same-origin relative links are rendered as links (never `javascript:` and friends). */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
