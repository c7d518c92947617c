import { useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import type { AnswerOf } from '../../api/answers';
import { fullTime } from '../../format';
import { t } from '../../i18n';
import { ApiKeyForm } from './ApiKeyForm';
import { loadApiKeys } from './settings-api';
import { SettingsError } from './SettingsError';
import { useAction, useList } from './use-resource';

type NewKey = AnswerOf<'/api/v1/api-keys', 'post'>;
type Key = AnswerOf<'/api/v1/api-keys', 'get'>['items'][number];

/** API keys for integrations: create (the key shown once), see last use, revoke. */
export function ApiKeysSection() {
  const keys = useList(loadApiKeys);
  const { run, busy, error } = useAction(keys.reload);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<NewKey | null>(null);

  return (
    <div>
      <p class="muted small">{t('apiKeys.intro')}</p>
      {shown && <KeyOnce made={shown} onDone={() => setShown(null)} />}
      {creating ? (
        <ApiKeyForm
          busy={busy}
          onCancel={() => setCreating(false)}
          onSave={(body) =>
            run(async () => setShown(await unwrap(client.POST('/api/v1/api-keys', { body })))).then(
              (ok) => ok && setCreating(false),
            )
          }
        />
      ) : (
        <button
          type="button"
          class="primary"
          onClick={() => setCreating(true)}
          data-testid="api-key-new"
        >
          {t('apiKeys.create')}
        </button>
      )}
      <SettingsError message={error ?? keys.error} />
      {keys.data && keys.items.length === 0 && <p class="muted">{t('settings.none')}</p>}
      <ul class="settings-list" data-testid="api-key-list">
        {keys.items.map((k) => (
          <KeyRow
            key={k.id}
            k={k}
            busy={busy}
            onRevoke={() =>
              confirm(t('apiKeys.confirmRevoke', { name: k.name })) &&
              void run(() =>
                unwrap(client.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: k.id } } })),
              )
            }
          />
        ))}
      </ul>
    </div>
  );
}

function KeyRow(p: { k: Key; busy: boolean; onRevoke: () => void }) {
  const { k } = p;
  const expired = k.expiresAt !== null && new Date(k.expiresAt).getTime() <= Date.now();
  return (
    <li
      class="settings-row"
      data-testid="api-key-row"
      data-state={k.revokedAt ? 'revoked' : expired ? 'expired' : 'active'}
    >
      <div class="settings-row-main">
        <strong>{k.name}</strong> <code>{k.prefix}…</code>
        <p class="small">{k.scopes.join(' · ')}</p>
        <p class="muted small">
          {k.lastUsedAt
            ? t('apiKeys.lastUsed', { when: fullTime(k.lastUsedAt) })
            : t('apiKeys.neverUsed')}
          {k.expiresAt &&
            !expired &&
            ` · ${t('apiKeys.expiresAt', { when: fullTime(k.expiresAt) })}`}
          {expired && !k.revokedAt && ` · ${t('apiKeys.expired')}`}
          {k.revokedAt && ` · ${t('apiKeys.revoked', { when: fullTime(k.revokedAt) })}`}
        </p>
      </div>
      {!k.revokedAt && (
        <div class="settings-row-actions">
          <button
            type="button"
            class="danger"
            disabled={p.busy}
            onClick={p.onRevoke}
            data-testid="api-key-revoke"
          >
            {t('apiKeys.revoke')}
          </button>
        </div>
      )}
    </li>
  );
}

function KeyOnce(p: { made: NewKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="settings-callout" role="status" data-testid="api-key-once">
      <p>{t('apiKeys.keyOnce', { name: p.made.name })}</p>
      <code class="settings-secret" data-testid="api-key-value">
        {p.made.key}
      </code>
      <div class="settings-row-actions">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(p.made.key).then(() => setCopied(true))
          }
        >
          {copied ? t('apiKeys.copied') : t('apiKeys.copy')}
        </button>
        <button type="button" onClick={p.onDone} data-testid="api-key-dismiss">
          {t('apiKeys.dismiss')}
        </button>
      </div>
    </div>
  );
}
