import { useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import type { AnswerOf } from '../../api/answers';
import { t } from '../../i18n';
import { loadWebhooks } from './settings-api';
import { SettingsError } from './SettingsError';
import { useAction, useList } from './use-resource';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookForm } from './WebhookForm';

type Created = AnswerOf<'/api/v1/webhooks', 'post'>;
type Subscription = AnswerOf<'/api/v1/webhooks', 'get'>['items'][number];

/** Webhook subscriptions: subscribe (the secret once), pause or enable, deliveries, delete. */
export function WebhooksSection() {
  const subs = useList(loadWebhooks);
  const { run, busy, error } = useAction(subs.reload);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<Created | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const setActive = (s: Subscription, active: boolean) =>
    run(() =>
      unwrap(
        client.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: s.id } }, body: { active } }),
      ),
    );

  return (
    <div>
      <p class="muted small">{t('webhooks.intro')}</p>
      {secret && (
        <div class="settings-callout" role="status" data-testid="webhook-secret">
          <p>{t('webhooks.secretOnce', { url: secret.url })}</p>
          <code class="settings-secret" data-testid="webhook-secret-value">
            {secret.secret}
          </code>
          <button type="button" onClick={() => setSecret(null)}>
            {t('apiKeys.dismiss')}
          </button>
        </div>
      )}
      {creating ? (
        <WebhookForm
          busy={busy}
          onCancel={() => setCreating(false)}
          onSave={(body) =>
            run(async () =>
              setSecret(await unwrap(client.POST('/api/v1/webhooks', { body }))),
            ).then((ok) => ok && setCreating(false))
          }
        />
      ) : (
        <button
          type="button"
          class="primary"
          onClick={() => setCreating(true)}
          data-testid="webhook-new"
        >
          {t('webhooks.create')}
        </button>
      )}
      <SettingsError message={error ?? subs.error} />
      {subs.data && subs.items.length === 0 && <p class="muted">{t('settings.none')}</p>}
      <ul class="settings-list" data-testid="webhook-list">
        {subs.items.map((s) => (
          <li
            class="settings-row webhook-row"
            key={s.id}
            data-testid="webhook-row"
            data-active={String(s.active)}
          >
            <div class="settings-row-main">
              <code class="webhook-url">{s.url}</code>
              {s.description && <p class="small">{s.description}</p>}
              <p class="small">{s.events.join(' · ')}</p>
              <p class={s.active ? 'muted small' : 'error small'} data-testid="webhook-state">
                {s.active
                  ? t('webhooks.active')
                  : s.disabledReason
                    ? t('webhooks.disabled', { reason: s.disabledReason })
                    : t('webhooks.paused')}
              </p>
            </div>
            <div class="settings-row-actions">
              <button
                type="button"
                onClick={() => setOpen(open === s.id ? null : s.id)}
                data-testid="webhook-deliveries-toggle"
              >
                {open === s.id ? t('webhooks.hideDeliveries') : t('webhooks.deliveries')}
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => void setActive(s, !s.active)}
                data-testid="webhook-toggle"
              >
                {s.active ? t('webhooks.disable') : t('webhooks.enable')}
              </button>
              <button
                type="button"
                class="danger"
                disabled={busy}
                onClick={() =>
                  confirm(t('webhooks.confirmDelete', { url: s.url })) &&
                  void run(() =>
                    unwrap(
                      client.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: s.id } } }),
                    ),
                  )
                }
              >
                {t('settings.delete')}
              </button>
            </div>
            {open === s.id && <WebhookDeliveries subscriptionId={s.id} active={s.active} />}
          </li>
        ))}
      </ul>
    </div>
  );
}
