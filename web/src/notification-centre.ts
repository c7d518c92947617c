// The notification centre's state: the agent's notifications (kept by the server, so they survive
// reloads), unread counts per kind, the page title, and the optional sound and desktop alerts.
import { useEffect, useState } from 'preact/hooks';
import { client, unwrap } from './api/client';
import { locale, t, type MessageKey } from './i18n';
import { onAgentSocket } from './live';
import type { AppNotification, NotificationKind } from './types';

export interface CentreState {
  items: AppNotification[];
  unread: number;
  byKind: Partial<Record<NotificationKind, number>>;
  nextCursor: string | null;
  error: boolean;
}

const SOUND_KEY = 'hub.notify.sound';
const DESKTOP_KEY = 'hub.notify.desktop';
const BASE_TITLE = document.title;

let state: CentreState = { items: [], unread: 0, byKind: {}, nextCursor: null, error: false };
const subscribers = new Set<(s: CentreState) => void>();
let sessionEnded: (() => void) | null = null;

function set(next: Partial<CentreState>): void {
  state = { ...state, ...next };
  document.title = state.unread > 0 ? `(${state.unread}) ${BASE_TITLE}` : BASE_TITLE;
  for (const fn of subscribers) fn(state);
}

/** The title of a notification in the app's language, from its kind and data. */
export function notificationTitle(n: AppNotification): string {
  const by = n.data.by || t('notify.someone');
  const sla = n.data.sla === 'resolution' ? t('sla.resolution') : t('sla.first_response');
  switch (n.kind) {
    case 'mention':
      return t('notify.kind.mention', { by });
    case 'assignment':
      return n.data.by ? t('notify.kind.assignment', { by }) : t('notify.kind.assignmentAuto');
    case 'sla_warning':
      return t('notify.kind.sla_warning', { sla });
    case 'sla_breach':
      return t('notify.kind.sla_breach', { sla });
    case 'webhook_disabled':
      return t('notify.kind.webhook_disabled', { url: n.data.url ?? '' });
    default:
      return t('notify.kind.follow_up');
  }
}

/** "with 陈静", or the follow-up's note. */
export function notificationBody(n: AppNotification): string {
  if (n.kind === 'follow_up' && n.data.note) return n.data.note;
  if (n.kind === 'webhook_disabled') return n.data.reason ?? '';
  return n.data.customer ? t('notify.with', { customer: n.data.customer }) : '';
}

const RELATIVE = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
export function relativeTime(iso: string, now = Date.now()): string {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(s) < 45) return t('notify.justNow');
  const m = Math.round(s / 60);
  if (Math.abs(m) < 60) return RELATIVE.format(m, 'minute');
  const h = Math.round(m / 60);
  if (Math.abs(h) < 24) return RELATIVE.format(h, 'hour');
  return RELATIVE.format(Math.round(h / 24), 'day');
}

async function refreshCount(): Promise<void> {
  const c = await unwrap(client.GET('/api/v1/notifications/unread-count'));
  set({ unread: c.count, byKind: c.byKind });
}

/** The first page and the unread counts (on sign-in, on a reconnect). */
export async function loadNotifications(): Promise<void> {
  try {
    const page = await unwrap(client.GET('/api/v1/notifications'));
    set({ items: page.items, nextCursor: page.nextCursor, error: false });
    await refreshCount();
  } catch {
    set({ error: true });
  }
}

export async function loadOlder(): Promise<void> {
  if (!state.nextCursor) return;
  const page = await unwrap(
    client.GET('/api/v1/notifications', { params: { query: { cursor: state.nextCursor } } }),
  );
  const seen = new Set(state.items.map((n) => n.id));
  set({
    items: [...state.items, ...page.items.filter((n) => !seen.has(n.id))],
    nextCursor: page.nextCursor,
  });
}

export async function markRead(ids: string[] | 'all'): Promise<void> {
  const now = new Date().toISOString();
  set({
    items: state.items.map((n) =>
      !n.readAt && (ids === 'all' || ids.includes(n.id)) ? { ...n, readAt: now } : n,
    ),
  });
  await unwrap(
    client.POST('/api/v1/notifications/read', { body: ids === 'all' ? { all: true } : { ids } }),
  );
  await refreshCount();
}

export const soundOn = () => localStorage.getItem(SOUND_KEY) === '1';
export const desktopOn = () =>
  localStorage.getItem(DESKTOP_KEY) === '1' &&
  typeof Notification !== 'undefined' &&
  Notification.permission === 'granted';

export function setSound(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? '1' : '0');
}

/** Turns desktop alerts on: asks the browser's permission (only ever from a click). */
export async function setDesktop(on: boolean): Promise<boolean> {
  localStorage.setItem(DESKTOP_KEY, on ? '1' : '0');
  if (!on || typeof Notification === 'undefined') return false;
  const permission =
    Notification.permission === 'default'
      ? await Notification.requestPermission()
      : Notification.permission;
  return permission === 'granted';
}

function chime(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
    osc.onended = () => void ctx.close();
  } catch {
    // No audio (autoplay policy, no device): the badge still counts.
  }
}

function receive(n: AppNotification): void {
  if (state.items.some((x) => x.id === n.id)) return;
  const byKind = { ...state.byKind, [n.kind]: (state.byKind[n.kind] ?? 0) + 1 };
  set({ items: [n, ...state.items], unread: state.unread + 1, byKind });
  if (soundOn()) chime();
  if (desktopOn()) {
    try {
      const d = new Notification(notificationTitle(n), { body: notificationBody(n), tag: n.id });
      d.onclick = () => {
        window.focus();
        if (n.conversationId) location.hash = `#/c/${encodeURIComponent(n.conversationId)}`;
      };
    } catch {
      // Some mobile browsers only notify through a service worker: the bell still counts.
    }
  }
}

/** Who signs the app out when the server ends this session (logout elsewhere, deactivation). */
export function onSessionEnded(fn: (() => void) | null): void {
  sessionEnded = fn;
}

onAgentSocket((socket) => {
  let first = true;
  socket.on('connect', () => {
    // A reconnect: what arrived while offline is in the list now.
    if (!first) void loadNotifications();
    first = false;
  });
  socket.on('notification', receive);
  socket.on('session.ended', () => sessionEnded?.());
});

/** Signs out: the centre forgets this user's notifications. */
export function resetNotifications(): void {
  set({ items: [], unread: 0, byKind: {}, nextCursor: null, error: false });
}

export function useNotificationCentre(): CentreState {
  const [s, setS] = useState(state);
  useEffect(() => {
    subscribers.add(setS);
    setS(state);
    return () => void subscribers.delete(setS);
  }, []);
  return s;
}

export const KIND_TABS: Array<{ key: MessageKey; kinds: NotificationKind[] | null }> = [
  { key: 'notify.tab.all', kinds: null },
  { key: 'notify.tab.mention', kinds: ['mention'] },
  { key: 'notify.tab.assignment', kinds: ['assignment'] },
  { key: 'notify.tab.sla', kinds: ['sla_warning', 'sla_breach'] },
  { key: 'notify.tab.follow_up', kinds: ['follow_up'] },
];
