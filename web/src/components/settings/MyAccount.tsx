import { useState } from 'preact/hooks';
import { clearSession } from '../../api';
import { client, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { loadMe } from './settings-api';
import { SettingsError } from './SettingsError';
import { useAction, useResource } from './use-resource';

/** The signed-in admin's own password and second factor (two items of the first-run checklist). */
export function MyAccount() {
  const me = useResource(loadMe);
  return (
    <section class="settings-card" data-testid="my-account">
      <h2>{t('account.title')}</h2>
      <PasswordChange />
      {me.data &&
        (me.data.twoFactor ? (
          <p class="ok">{t('account.twoFactorIsOn')}</p>
        ) : (
          <TwoFactorSetup onDone={me.reload} />
        ))}
    </section>
  );
}

function PasswordChange() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  // Every session ends with the change: the app returns to the sign-in page.
  const { run, busy, error } = useAction(() => setDone(true));
  if (done)
    return (
      <div class="settings-inline">
        <p class="ok">{t('account.passwordChanged')}</p>
        <button
          type="button"
          class="primary"
          onClick={() => {
            clearSession();
            location.reload();
          }}
        >
          {t('login.submit')}
        </button>
      </div>
    );
  return (
    <form
      class="settings-inline"
      data-testid="password-change"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() =>
          unwrap(
            client.POST('/api/v1/auth/password', {
              body: { currentPassword: current, newPassword: next },
            }),
          ),
        );
      }}
    >
      <h3 class="full">{t('account.changePassword')}</h3>
      <input
        type="password"
        autocomplete="current-password"
        required
        aria-label={t('account.currentPassword')}
        placeholder={t('account.currentPassword')}
        value={current}
        onInput={(e) => setCurrent(e.currentTarget.value)}
      />
      <input
        type="password"
        autocomplete="new-password"
        required
        aria-label={t('account.newPassword')}
        placeholder={t('account.newPassword')}
        value={next}
        onInput={(e) => setNext(e.currentTarget.value)}
      />
      <button type="submit" disabled={busy}>
        {t('settings.save')}
      </button>
      <SettingsError message={error} />
    </form>
  );
}

function TwoFactorSetup({ onDone }: { onDone: () => void }) {
  const [secret, setSecret] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const { run, busy, error } = useAction(onDone);
  const start = useAction(() => undefined);
  if (!secret)
    return (
      <div>
        <h3>{t('account.twoFactor')}</h3>
        <button
          type="button"
          disabled={start.busy}
          data-testid="two-factor-start"
          onClick={() =>
            void start.run(async () =>
              setSecret(await unwrap(client.POST('/api/v1/auth/2fa/setup'))),
            )
          }
        >
          {t('account.setUp')}
        </button>
        <SettingsError message={start.error} />
      </div>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void run(() =>
          unwrap(client.POST('/api/v1/auth/2fa/enable', { body: { code: code.trim() } })),
        );
      }}
    >
      <h3>{t('account.twoFactor')}</h3>
      <p class="muted small">{t('account.secretHint')}</p>
      <code class="settings-secret" data-testid="two-factor-secret">
        {secret.secret}
      </code>{' '}
      <a href={secret.otpauthUrl}>{t('account.openInApp')}</a>
      <div class="settings-inline">
        <input
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="\d{6}"
          required
          aria-label={t('account.code')}
          placeholder={t('account.code')}
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={busy}>
          {t('account.enable')}
        </button>
      </div>
      <SettingsError message={error} />
    </form>
  );
}
