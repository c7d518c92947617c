import { t } from '../../i18n';

/** A generated password, shown once after an invitation or a reset. */
export function TemporaryPassword(p: { name: string; password: string; onDone: () => void }) {
  return (
    <div class="settings-callout" role="status" data-testid="temporary-password">
      <p>{t('users.passwordOnce', { name: p.name })}</p>
      <code class="settings-secret" data-testid="temporary-password-value">
        {p.password}
      </code>
      <p class="muted small">{t('users.passwordHint')}</p>
      <button type="button" onClick={p.onDone}>
        {t('users.dismiss')}
      </button>
    </div>
  );
}
