import { useEffect, useState } from 'preact/hooks';
import { clearSession, getStoredUser, getToken, setUnauthorizedListener } from './api';
import { client, unwrap } from './api/client';
import { Campaigns } from './components/Campaigns';
import { ContactImport } from './components/contact/ContactImport';
import { ContactPage } from './components/contact/ContactPage';
import { Contacts } from './components/contacts/Contacts';
import { Inbox } from './components/Inbox';
import { Login } from './components/Login';
import { Reports } from './components/Reports';
import { Templates } from './components/Templates';
import { canSeeSettings, Settings, SetupChecklist } from './components/settings';
import { TeamView } from './components/TeamView';
import { t } from './i18n';
import { LiveSocketProvider } from './components/LiveSocketProvider';
import { LocaleSwitch } from './components/LocaleSwitch';
import { NotificationBell } from './components/NotificationBell';
import { onSessionEnded, resetNotifications } from './notification-centre';
import { navigate, useRoute } from './router';
import type { User } from './types';

export function App() {
  const [token, setToken] = useState<string | null>(() => getToken());
  const [user, setUser] = useState<User | null>(() => (getToken() ? getStoredUser() : null));
  const route = useRoute();
  const [signedOutNotice, setSignedOutNotice] = useState<string | null>(null);

  useEffect(() => {
    setUnauthorizedListener(() => {
      clearSession();
      resetNotifications();
      setToken(null);
      setUser(null);
    });
    // Logged out elsewhere or deactivated: the server closes the socket and says so first.
    onSessionEnded(() => {
      clearSession();
      resetNotifications();
      setToken(null);
      setUser(null);
      setSignedOutNotice(t('session.ended'));
    });
    return () => onSessionEnded(null);
  }, []);

  // Refresh who we are whenever a token is present (the stored copy may be stale).
  useEffect(() => {
    if (!token) return;
    let live = true;
    unwrap(client.GET('/api/v1/auth/me'))
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
      <>
        {signedOutNotice && (
          <p class="session-notice" role="alert" data-testid="session-ended">
            {signedOutNotice}
          </p>
        )}
        <Login
          onLoggedIn={(t, u) => {
            setSignedOutNotice(null);
            setToken(t);
            setUser(u);
          }}
        />
      </>
    );
  }

  const logout = () => {
    clearSession();
    resetNotifications();
    setToken(null);
    setUser(null);
    navigate('#/');
  };

  // Marketers have no inbox (conversation content is not theirs): they land on their campaigns.
  const marketer = user?.role === 'marketer';
  const page = marketer && route.name === 'inbox' ? 'campaigns' : route.name;

  // One agents' socket per signed-in session, shared by every page (the bell counts on all of them).
  return (
    <LiveSocketProvider token={token} enabled={!marketer}>
      <div class="shell">
        <header class="topbar">
          <a class="brand" href="#/">
            {t('nav.brand')}
          </a>
          <nav>
            {!marketer && (
              <a href="#/" class={route.name === 'inbox' ? 'active' : ''} data-testid="nav-inbox">
                {t('nav.inbox')}
              </a>
            )}
            {(marketer || user?.role === 'admin' || user?.role === 'supervisor') && (
              <a
                href="#/campaigns"
                class={page === 'campaigns' ? 'active' : ''}
                data-testid="nav-campaigns"
              >
                {t('nav.campaigns')}
              </a>
            )}
            {(marketer || user?.role === 'admin' || user?.role === 'supervisor') && (
              <a
                href="#/contacts"
                class={route.name.startsWith('contact') ? 'active' : ''}
                data-testid="nav-contacts"
              >
                {t('contacts.nav')}
              </a>
            )}
            {(marketer || user?.role === 'admin') && (
              <a
                href="#/templates"
                class={route.name === 'templates' ? 'active' : ''}
                data-testid="nav-templates"
              >
                {t('nav.templates')}
              </a>
            )}
            <a
              href="#/reports"
              class={page === 'reports' ? 'active' : ''}
              data-testid="nav-reports"
            >
              {t('nav.reports')}
            </a>
            {canSeeSettings(user?.role) && (
              <a
                href="#/settings"
                class={route.name === 'settings' ? 'active' : ''}
                data-testid="nav-settings"
              >
                {t('nav.settings')}
              </a>
            )}
            {(user?.role === 'supervisor' || user?.role === 'admin') && (
              <a href="#/team" class={route.name === 'team' ? 'active' : ''} data-testid="nav-team">
                {t('nav.team')}
              </a>
            )}
          </nav>
          <div class="topbar-user">
            {user && !marketer && <NotificationBell key={token} />}
            <span data-testid="current-user">{user ? `${user.name} · ${user.role}` : ''}</span>
            <button type="button" class="link" onClick={logout} data-testid="logout">
              {t('nav.signOut')}
            </button>
            <LocaleSwitch />
          </div>
        </header>
        {page === 'inbox' && user?.role === 'admin' && <SetupChecklist />}
        {page === 'reports' ? (
          <Reports />
        ) : page === 'campaigns' ? (
          <Campaigns campaignId={route.name === 'campaigns' ? route.campaignId : null} />
        ) : route.name === 'contacts' ? (
          <Contacts view={route.view} segmentId={route.segmentId} />
        ) : route.name === 'templates' ? (
          <Templates templateKey={route.key} />
        ) : route.name === 'settings' ? (
          <Settings me={user} section={route.section} />
        ) : route.name === 'team' ? (
          <TeamView />
        ) : route.name === 'contact' ? (
          <ContactPage key={route.customerId} customerId={route.customerId} />
        ) : route.name === 'contactImport' ? (
          <ContactImport />
        ) : (
          <Inbox
            token={token}
            me={user}
            conversationId={route.name === 'inbox' ? route.conversationId : null}
          />
        )}
      </div>
    </LiveSocketProvider>
  );
}
