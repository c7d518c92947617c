// Toasts for what concerns this agent alone: @mentions in notes and follow-ups falling due.
import { t } from '../i18n';
import { navigate } from '../router';

export interface Notice {
  id: string;
  kind: 'mention' | 'follow_up';
  title: string;
  body: string;
  conversationId: string;
  at: string;
}

/** The newest first, at most this many kept. */
export const MAX_NOTICES = 5;

export function addNotice(list: Notice[], n: Notice): Notice[] {
  return [n, ...list.filter((x) => x.id !== n.id)].slice(0, MAX_NOTICES);
}

interface Props {
  items: Notice[];
  onDismiss: (id: string) => void;
}

export function Notifications({ items, onDismiss }: Props) {
  if (items.length === 0) return null;
  return (
    <div class="notices" role="status" aria-live="polite" data-testid="notifications">
      {items.map((n) => (
        <div
          key={n.id}
          class={`notice notice-${n.kind}`}
          data-testid="notification"
          data-kind={n.kind}
          data-conversation-id={n.conversationId}
        >
          <div class="notice-main">
            <strong class="notice-title">{n.title}</strong>
            {n.body && <span class="notice-body">{n.body}</span>}
          </div>
          <div class="notice-actions">
            <button
              type="button"
              class="link"
              data-testid="notification-open"
              onClick={() => {
                onDismiss(n.id);
                navigate(`#/c/${encodeURIComponent(n.conversationId)}`);
              }}
            >
              {t('notify.open')}
            </button>
            <button
              type="button"
              class="link"
              aria-label={t('notify.dismiss')}
              data-testid="notification-dismiss"
              onClick={() => onDismiss(n.id)}
            >
              ×
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
