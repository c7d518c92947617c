import { useCallback, useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import { fullTime } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { SettingsError } from './SettingsError';
import { useAction, useResource } from './use-resource';

/** A subscription's delivery log, newest first, each with its last answer and a replay. */
export function WebhookDeliveries(p: { subscriptionId: string; active: boolean }) {
  const load = useCallback(
    () =>
      unwrap(
        client.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id: p.subscriptionId }, query: { limit: 20 } },
        }),
      ),
    [p.subscriptionId],
  );
  const log = useResource(load);
  const { run, busy, error } = useAction(log.reload);
  const [opened, setOpened] = useState<string | null>(null);
  const items = log.data?.items ?? [];
  return (
    <div class="webhook-deliveries full" data-testid="webhook-deliveries">
      <SettingsError message={error ?? log.error} />
      {log.data && items.length === 0 && <p class="muted small">{t('settings.none')}</p>}
      <ul>
        {items.map((d) => (
          <li key={d.id} data-testid="webhook-delivery" data-status={d.status}>
            <button
              type="button"
              class="link"
              onClick={() => setOpened(opened === d.id ? null : d.id)}
            >
              <span class={`badge delivery-${d.status}`}>
                {t(`webhooks.status.${d.status}` as MessageKey)}
              </span>{' '}
              <code>{d.eventType}</code> · {fullTime(d.createdAt)} ·{' '}
              {t('webhooks.attempts', { count: d.attempts })}
              {d.responseStatus !== null && ` · HTTP ${d.responseStatus}`}
            </button>
            {p.active && d.status !== 'pending' && (
              <button
                type="button"
                disabled={busy}
                data-testid="webhook-replay"
                onClick={() =>
                  void run(() =>
                    unwrap(
                      client.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay', {
                        params: { path: { id: p.subscriptionId, deliveryId: d.id } },
                      }),
                    ),
                  )
                }
              >
                {t('webhooks.replay')}
              </button>
            )}
            {opened === d.id && (
              <div class="webhook-delivery-detail">
                <p class="small">
                  <code>webhook-id: {d.id}</code>
                </p>
                {d.error && <p class="error small">{d.error}</p>}
                {d.log.map((a) => (
                  <p class="muted small" key={a.at}>
                    {fullTime(a.at)} · {a.status ?? '—'} · {a.ms} ms {a.error ? `· ${a.error}` : ''}
                  </p>
                ))}
                <pre class="webhook-payload">{JSON.stringify(d.payload, null, 2)}</pre>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
