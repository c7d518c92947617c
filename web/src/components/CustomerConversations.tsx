import { shortTime } from '../format';
import { useCustomerConversations } from '../hooks/useCustomerPanelData';
import { t, type MessageKey } from '../i18n';
import { navigate, useRoute } from '../router';
import { ChannelMark } from './ChannelMark';

/** The customer's other conversations the user may see; a click opens one. */
export function CustomerConversations({
  customerId,
  refresh,
}: {
  customerId: string;
  refresh: string;
}) {
  const route = useRoute();
  const current = route.name === 'inbox' ? route.conversationId : null;
  const list = useCustomerConversations(customerId, refresh);
  const others = list.state === 'ready' ? list.items.filter((c) => c.id !== current) : [];
  return (
    <section data-testid="customer-conversations">
      <h4>{t('customer.conversations')}</h4>
      {list.state === 'loading' && <p class="muted small">{t('common.loading')}</p>}
      {list.state === 'error' && (
        <p class="form-error small" role="alert">
          {list.message}
        </p>
      )}
      {list.state === 'ready' && others.length === 0 && (
        <p class="muted small">{t('customer.conversations.none')}</p>
      )}
      <ul class="plain">
        {others.map((c) => (
          <li>
            <button
              type="button"
              class="link other-conversation"
              data-testid="customer-conversation"
              data-id={c.id}
              onClick={() => navigate(`#/c/${encodeURIComponent(c.id)}`)}
            >
              <ChannelMark channel={c.lastChannel} />{' '}
              <span class={`badge status-${c.status}`}>
                {t(`status.${c.status}` as MessageKey)}
              </span>{' '}
              <span class="preview">{c.lastMessagePreview ?? ''}</span>{' '}
              {c.lastMessageAt && <span class="small muted">{shortTime(c.lastMessageAt)}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
