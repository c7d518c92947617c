import { useState } from 'preact/hooks';
import { api, ApiError, storeSession } from '../api';
import type { User } from '../types';

interface LoginResponse {
  accessToken: string;
  user?: User;
}

export function Login({ onLoggedIn }: { onLoggedIn: (token: string, user: User | null) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api<LoginResponse>('POST', '/api/v1/auth/login', {
        email: email.trim(),
        password,
      });
      storeSession(res.accessToken, res.user ?? null);
      onLoggedIn(res.accessToken, res.user ?? null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Sign-in failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login-page">
      <form class="login-card" onSubmit={submit} id="login-form" data-testid="login-form">
        <h1>Sign in to the Hub</h1>
        <label for="login-email">Email</label>
        <input
          id="login-email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          data-testid="login-email"
        />
        <label for="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          data-testid="login-password"
        />
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
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
