// The bell in the top bar: unread count, and a panel of the agent's notifications.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import {
  desktopOn,
  KIND_TABS,
  loadNotifications,
  loadOlder,
  markRead,
  notificationBody,
  notificationTitle,
  relativeTime,
  setDesktop,
  setSound,
  soundOn,
  useNotificationCentre,
} from '../notification-centre';
import { navigate } from '../router';
import type { AppNotification } from '../types';
import { useNow } from '../use-now';

export function NotificationBell() {
  const centre = useNotificationCentre();
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState(0);
  const [sound, setSoundState] = useState(soundOn);
  const [desktop, setDesktopState] = useState(desktopOn);
  const [blocked, setBlocked] = useState(false);
  const now = useNow();

  useEffect(() => void loadNotifications(), []);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  const kinds = KIND_TABS[tab].kinds;
  const shown = kinds ? centre.items.filter((n) => kinds.includes(n.kind)) : centre.items;
  const openOne = (n: AppNotification) => {
    if (!n.readAt) void markRead([n.id]).catch(() => undefined);
    setOpen(false);
    if (n.conversationId) navigate(`#/c/${encodeURIComponent(n.conversationId)}`);
  };

  return (
    <div class="bell-wrap">
      <button
        type="button"
        class="bell"
        aria-expanded={open}
        aria-label={
          centre.unread ? t('notify.bellUnread', { count: centre.unread }) : t('notify.bell')
        }
        data-testid="notification-bell"
        onClick={() => setOpen((o) => !o)}
      >
        🔔
        {centre.unread > 0 && (
          <span class="bell-count" data-testid="notification-count">
            {centre.unread > 99 ? '99+' : centre.unread}
          </span>
        )}
      </button>
      {open && (
        <div
          class="notify-panel"
          role="dialog"
          aria-label={t('notify.title')}
          data-testid="notification-panel"
        >
          <div class="notify-head">
            <strong>{t('notify.title')}</strong>
            <button
              type="button"
              class="link"
              disabled={centre.unread === 0}
              onClick={() => void markRead('all').catch(() => undefined)}
              data-testid="notification-mark-all"
            >
              {t('notify.markAll')}
            </button>
          </div>
          <div class="notify-tabs" role="tablist">
            {KIND_TABS.map((tb, i) => {
              const count = tb.kinds
                ? tb.kinds.reduce((a, k) => a + (centre.byKind[k] ?? 0), 0)
                : centre.unread;
              return (
                <button
                  type="button"
                  role="tab"
                  aria-selected={i === tab}
                  class={i === tab ? 'active' : ''}
                  onClick={() => setTab(i)}
                  data-testid={`notification-tab-${i}`}
                >
                  {t(tb.key)}
                  {count > 0 && <span class="tab-count">{count}</span>}
                </button>
              );
            })}
          </div>
          {centre.error && <p class="error small">{t('notify.error')}</p>}
          {shown.length === 0 && !centre.error && <p class="muted small">{t('notify.empty')}</p>}
          <ul class="notify-list">
            {shown.map((n) => (
              <li key={n.id}>
                <button
                  type="button"
                  class={n.readAt ? 'notify-item' : 'notify-item unread'}
                  data-testid="notification-item"
                  data-kind={n.kind}
                  data-read={n.readAt ? 'true' : 'false'}
                  onClick={() => openOne(n)}
                >
                  <span class="notify-item-title">{notificationTitle(n)}</span>
                  <span class="notify-item-body">{notificationBody(n)}</span>
                  <time class="notify-item-time" dateTime={n.createdAt}>
                    {relativeTime(n.createdAt, now)}
                  </time>
                </button>
              </li>
            ))}
          </ul>
          {centre.nextCursor && (
            <button
              type="button"
              class="link"
              onClick={() => void loadOlder().catch(() => undefined)}
            >
              {t('notify.loadMore')}
            </button>
          )}
          <div class="notify-settings">
            <label>
              <input
                type="checkbox"
                checked={sound}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  setSound(on);
                  setSoundState(on);
                }}
                data-testid="notification-sound"
              />
              {t('notify.sound')}
            </label>
            <label>
              <input
                type="checkbox"
                checked={desktop}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  void setDesktop(on).then((granted) => {
                    setDesktopState(on && granted);
                    setBlocked(on && !granted);
                  });
                }}
                data-testid="notification-desktop"
              />
              {t('notify.desktop')}
            </label>
            {blocked && <p class="muted small">{t('notify.desktopBlocked')}</p>}
          </div>
        </div>
      )}
    </div>
  );
}
