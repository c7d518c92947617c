import { useState } from 'preact/hooks';
import type { BodyOf } from '../../api/answers';
import { t, type MessageKey } from '../../i18n';
import type { Role } from '../../types';

type Body = BodyOf<'/api/v1/api-keys', 'post'>;
type Scope = Body['scopes'][number];

const RESOURCES = [
  'customers',
  'conversations',
  'messages',
  'templates',
  'campaigns',
  'analytics',
  'webhooks',
] as const;
const ROLES: Role[] = ['admin', 'supervisor', 'agent', 'marketer'];
type Level = 'none' | 'read' | 'write';

/** A new key: name, a read/write level per resource, an optional role and expiry date. */
export function ApiKeyForm(p: { busy: boolean; onSave: (b: Body) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [levels, setLevels] = useState<Record<string, Level>>({});
  const [role, setRole] = useState<Role | ''>('');
  const [expires, setExpires] = useState('');
  const [missing, setMissing] = useState(false);
  const scopes = RESOURCES.flatMap((r) =>
    levels[r] && levels[r] !== 'none' ? [`${r}:${levels[r]}` as Scope] : [],
  );
  return (
    <form
      class="settings-form wide"
      data-testid="api-key-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (scopes.length === 0) return setMissing(true);
        p.onSave({
          name: name.trim(),
          scopes,
          ...(role ? { role } : {}),
          // The end of the chosen day, in the admin's own time zone.
          ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
        });
      }}
    >
      <label class="full">
        {t('apiKeys.name')}
        <input
          required
          maxLength={120}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          data-testid="api-key-name"
        />
      </label>
      <fieldset class="full api-key-scopes">
        <legend>{t('apiKeys.scopes')}</legend>
        <p class="muted small">{t('apiKeys.writeHint')}</p>
        {RESOURCES.map((r) => (
          <label key={r}>
            {t(`apiKeys.resource.${r}` as MessageKey)}
            <select
              value={levels[r] ?? 'none'}
              data-testid={`api-key-scope-${r}`}
              onChange={(e) => {
                setMissing(false);
                setLevels({ ...levels, [r]: e.currentTarget.value as Level });
              }}
            >
              <option value="none">—</option>
              <option value="read">{t('apiKeys.read')}</option>
              <option value="write">{t('apiKeys.write')}</option>
            </select>
          </label>
        ))}
      </fieldset>
      {missing && (
        <p class="error full" role="alert">
          {t('apiKeys.pickScope')}
        </p>
      )}
      <label>
        {t('apiKeys.role')}
        <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role | '')}>
          <option value="">{t('apiKeys.noRole')}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('apiKeys.expires')}
        <input
          type="date"
          value={expires}
          onInput={(e) => setExpires(e.currentTarget.value)}
          data-testid="api-key-expires"
        />
      </label>
      <div class="full settings-row-actions">
        <button type="submit" class="primary" disabled={p.busy} data-testid="api-key-save">
          {t('apiKeys.save')}
        </button>
        <button type="button" onClick={p.onCancel}>
          {t('apiKeys.cancel')}
        </button>
      </div>
    </form>
  );
}
