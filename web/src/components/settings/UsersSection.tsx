import { useState } from 'preact/hooks';
import { fullTime } from '../../format';
import { client, unwrap } from '../../api/client';
import { t } from '../../i18n';
import type { Role } from '../../types';
import { loadUsers } from './settings-api';
import type { AdminUser } from './settings-types';
import { MyAccount } from './MyAccount';
import { SettingsError } from './SettingsError';
import { TemporaryPassword } from './TemporaryPassword';
import { useAction, useList } from './use-resource';

const ROLES: Role[] = ['admin', 'supervisor', 'agent', 'marketer'];

/** Users: invite, change role, deactivate or reactivate, reset the password; 2FA and last sign-in shown. */
export function UsersSection() {
  const users = useList(loadUsers);
  const { run, busy, error } = useAction(users.reload);
  const [shown, setShown] = useState<{ name: string; password: string } | null>(null);

  const reset = (u: AdminUser) => {
    if (!confirm(t('users.confirmReset', { name: u.name }))) return;
    void run(async () => {
      const r = await unwrap(
        client.POST('/api/v1/users/{id}/password', { params: { path: { id: u.id } }, body: {} }),
      );
      setShown({ name: u.name, password: r.temporaryPassword });
    });
  };
  const setActive = (u: AdminUser, active: boolean) => {
    if (!active && !confirm(t('users.confirmDeactivate', { name: u.name }))) return;
    void run(() =>
      unwrap(
        client.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body: { active } }),
      ),
    );
  };

  return (
    <div>
      <MyAccount />
      <InviteForm
        busy={busy}
        onInvite={(body) =>
          run(async () => {
            const r = await unwrap(client.POST('/api/v1/users', { body }));
            // An invitation: no password was given, so the hub generated one.
            if (r.temporaryPassword) setShown({ name: body.name, password: r.temporaryPassword });
          })
        }
      />
      {shown && <TemporaryPassword {...shown} onDone={() => setShown(null)} />}
      <SettingsError message={error ?? users.error} />
      <ul class="settings-list" data-testid="users-list">
        {users.items.map((u) => (
          <li class="settings-row" data-testid="user-row" data-email={u.email} key={u.id}>
            <div class="settings-row-main">
              <strong>{u.name}</strong> <span class="muted">{u.email}</span>
              <div class="settings-tags">
                <span class={u.active ? 'tag ok' : 'tag bad'}>
                  {u.active ? t('users.active') : t('users.inactive')}
                </span>
                <span class={u.twoFactor ? 'tag ok' : 'tag'} data-testid="user-2fa">
                  {u.twoFactor ? t('users.twoFactorOn') : t('users.twoFactorOff')}
                </span>
                {u.passwordTemporary && <span class="tag warn">{t('users.temporary')}</span>}
                <span class="muted small">
                  {u.lastLoginAt
                    ? t('users.lastLogin', { when: fullTime(u.lastLoginAt) })
                    : t('users.neverLoggedIn')}
                </span>
              </div>
            </div>
            <div class="settings-row-actions">
              <select
                aria-label={t('settings.role')}
                value={u.role}
                disabled={busy}
                data-testid="user-role"
                onChange={(e) =>
                  void run(() =>
                    unwrap(
                      client.PATCH('/api/v1/users/{id}', {
                        params: { path: { id: u.id } },
                        body: { role: e.currentTarget.value as AdminUser['role'] },
                      }),
                    ),
                  )
                }
              >
                {ROLES.map((r) => (
                  <option value={r}>{t(`role.${r}`)}</option>
                ))}
              </select>
              <button type="button" disabled={busy} onClick={() => setActive(u, !u.active)}>
                {u.active ? t('users.deactivate') : t('users.reactivate')}
              </button>
              <button type="button" disabled={busy} onClick={() => reset(u)}>
                {t('users.resetPassword')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface Invite {
  name: string;
  email: string;
  role: Role;
}

function InviteForm({
  busy,
  onInvite,
}: {
  busy: boolean;
  onInvite: (i: Invite) => Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  return (
    <form
      class="settings-form"
      data-testid="invite-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onInvite({ name: name.trim(), email: email.trim(), role }).then((ok) => {
          if (!ok) return;
          setName('');
          setEmail('');
        });
      }}
    >
      <h2>{t('users.invite')}</h2>
      <label>
        {t('settings.name')}
        <input
          required
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          data-testid="invite-name"
        />
      </label>
      <label>
        {t('settings.email')}
        <input
          required
          type="email"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          data-testid="invite-email"
        />
      </label>
      <label>
        {t('settings.role')}
        <select
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as Role)}
          data-testid="invite-role"
        >
          {ROLES.map((r) => (
            <option value={r}>{t(`role.${r}`)}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary" disabled={busy} data-testid="invite-submit">
        {t('users.inviteSubmit')}
      </button>
    </form>
  );
}
