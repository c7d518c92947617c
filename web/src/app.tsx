import { useEffect, useState } from 'preact/hooks';
import { api, clearSession, getStoredUser, getToken, setUnauthorizedListener } from './api';
import { Inbox } from './components/Inbox';
import { Login } from './components/Login';
import { Reports } from './components/Reports';
import { navigate, useRoute } from './router';
import type { User } from './types';

export function App() {
  const [token, setToken] = useState<string | null>(() => getToken());
  const [user, setUser] = useState<User | null>(() => (getToken() ? getStoredUser() : null));
  const route = useRoute();

  useEffect(() => {
    setUnauthorizedListener(() => {
      clearSession();
      setToken(null);
      setUser(null);
    });
  }, []);

  // Refresh who we are whenever a token is present (the stored copy may be stale).
  useEffect(() => {
    if (!token) return;
    let live = true;
    api<User>('GET', '/api/v1/auth/me')
      .then((me) => {
        if (!live) return;
        setUser(me);
        localStorage.setItem('hub.user', JSON.stringify(me));
      })
      .catch(() => undefined); // a 401 logs out through the listener; other errors keep the stored user
    return () => {
      live = false;
    };
  }, [token]);

  if (!token) {
    return (
      <Login
        onLoggedIn={(t, u) => {
          setToken(t);
          setUser(u);
        }}
      />
    );
  }

  const logout = () => {
    clearSession();
    setToken(null);
    setUser(null);
    navigate('#/');
  };

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          Hub
        </a>
        <nav>
          <a href="#/" class={route.name === 'inbox' ? 'active' : ''} data-testid="nav-inbox">
            Inbox
          </a>
          <a
            href="#/reports"
            class={route.name === 'reports' ? 'active' : ''}
            data-testid="nav-reports"
          >
            Reports
          </a>
        </nav>
        <div class="topbar-user">
          <span data-testid="current-user">{user ? `${user.name} · ${user.role}` : ''}</span>
          <button type="button" class="link" onClick={logout} data-testid="logout">
            Sign out
          </button>
        </div>
      </header>
      {route.name === 'reports' ? (
        <Reports />
      ) : (
        <Inbox token={token} me={user} conversationId={route.conversationId} />
      )}
    </div>
  );
}
