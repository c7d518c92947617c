import { useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import { t } from '../../i18n';
import type { AdminUser, Team } from './settings-types';
import { SettingsError } from './SettingsError';
import { TeamHoursEditor } from './TeamHoursEditor';
import { useAction } from './use-resource';

/** One team: its name, members (add, remove) and calendar. */
export function TeamCard(p: { team: Team; users: AdminUser[]; onChanged: () => void }) {
  const { team, users } = p;
  const { run, busy, error } = useAction(p.onChanged);
  const [name, setName] = useState(team.name);
  const [pick, setPick] = useState('');
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? id;
  const candidates = users.filter((u) => u.active && !team.memberIds.includes(u.id));

  return (
    <article class="settings-card" data-testid="team-card" data-team={team.name}>
      <form
        class="settings-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() =>
            unwrap(
              client.PATCH('/api/v1/teams/{id}', {
                params: { path: { id: team.id } },
                body: { name: name.trim() },
              }),
            ),
          );
        }}
      >
        <input
          aria-label={t('teams.name')}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          data-testid="team-name"
        />
        <button type="submit" disabled={busy || name.trim() === team.name}>
          {t('teams.rename')}
        </button>
      </form>
      <h3>{t('teams.members')}</h3>
      {team.memberIds.length === 0 && <p class="muted small">{t('teams.noMembers')}</p>}
      <ul class="chips" data-testid="team-members">
        {team.memberIds.map((id) => (
          <li class="chip" key={id}>
            {nameOf(id)}
            <button
              type="button"
              class="link"
              aria-label={t('teams.removeMember', { name: nameOf(id) })}
              title={t('teams.removeMember', { name: nameOf(id) })}
              disabled={busy}
              onClick={() =>
                void run(() =>
                  unwrap(
                    client.DELETE('/api/v1/teams/{id}/members/{userId}', {
                      params: { path: { id: team.id, userId: id } },
                    }),
                  ),
                )
              }
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        class="settings-inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (!pick) return;
          void run(() =>
            unwrap(
              client.POST('/api/v1/teams/{id}/members', {
                params: { path: { id: team.id } },
                body: { userId: pick },
              }),
            ),
          ).then((ok) => ok && setPick(''));
        }}
      >
        <select
          aria-label={t('teams.addMember')}
          value={pick}
          onChange={(e) => setPick(e.currentTarget.value)}
          data-testid="team-member-pick"
        >
          <option value="">{t('teams.pickUser')}</option>
          {candidates.map((u) => (
            <option value={u.id}>{u.name}</option>
          ))}
        </select>
        <button type="submit" disabled={busy || !pick} data-testid="team-member-add">
          {t('teams.addMember')}
        </button>
      </form>
      <SettingsError message={error} />
      <TeamHoursEditor team={team} onSaved={p.onChanged} />
    </article>
  );
}
