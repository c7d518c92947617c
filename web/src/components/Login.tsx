import { useState } from 'preact/hooks';
import { ApiError, storeSession } from '../api';
import { client, unwrap } from '../api/client';
import { t } from '../i18n';
import type { User } from '../types';
import { LocaleSwitch } from './LocaleSwitch';

/** E-mail and password, then the authenticator's 6-digit code when the account has a second factor. */
export function Login({ onLoggedIn }: { onLoggedIn: (token: string, user: User | null) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await unwrap(
        client.POST('/api/v1/auth/login', {
          body: { email: email.trim(), password, ...(needCode ? { code: code.trim() } : {}) },
        }),
      );
      storeSession(res.accessToken, res.user ?? null);
      onLoggedIn(res.accessToken, res.user ?? null);
    } catch (err) {
      if (err instanceof ApiError && err.details.twoFactorRequired === true && !needCode) {
        setNeedCode(true);
      } else if (err instanceof ApiError && err.status === 0) {
        setError(t('login.offline'));
      } else if (err instanceof ApiError && err.status === 429) {
        setError(t('login.throttled'));
      } else if (err instanceof ApiError && needCode && /^code:/.test(err.message)) {
        setError(t('login.badCode'));
      } else if (err instanceof ApiError && err.status === 401) {
        setError(t('login.failed'));
      } else {
        setError(err instanceof Error ? err.message : t('login.failed'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login-page">
      <form class="login-card" onSubmit={submit} id="login-form" data-testid="login-form">
        <h1>{t('login.title')}</h1>
        <label for="login-email">{t('login.email')}</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autocomplete="username"
          required
          readOnly={needCode}
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          data-testid="login-email"
        />
        <label for="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          readOnly={needCode}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          data-testid="login-password"
        />
        {needCode && (
          <>
            <label for="login-code">{t('login.code')}</label>
            <input
              id="login-code"
              name="code"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              autoFocus
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
              data-testid="login-code"
            />
            <p class="muted small">{t('login.codeHint')}</p>
          </>
        )}
        {error && (
          <p class="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button
          type="submit"
          class="primary"
          disabled={busy}
          id="login-submit"
          data-testid="login-submit"
        >
          {busy ? t('login.busy') : needCode ? t('login.verify') : t('login.submit')}
        </button>
        <LocaleSwitch />
      </form>
    </main>
  );
}
