import { useState } from 'preact/hooks';
import { client, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { loadTeams, loadUsers } from './settings-api';
import { SettingsError } from './SettingsError';
import { TeamCard } from './TeamCard';
import { useAction, useList } from './use-resource';

/** Teams: create, rename, members, business hours, holidays and time zone. */
export function TeamsSection() {
  const teams = useList(loadTeams);
  const users = useList(loadUsers);
  const { run, busy, error } = useAction(teams.reload);
  const [name, setName] = useState('');
  return (
    <div>
      <form
        class="settings-form"
        data-testid="team-create"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() =>
            unwrap(client.POST('/api/v1/teams', { body: { name: name.trim() } })),
          ).then((ok) => ok && setName(''));
        }}
      >
        <h2>{t('teams.create')}</h2>
        <label>
          {t('teams.name')}
          <input
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="team-create-name"
          />
        </label>
        <button type="submit" class="primary" disabled={busy} data-testid="team-create-submit">
          {t('teams.createSubmit')}
        </button>
      </form>
      <SettingsError message={error ?? teams.error} />
      {teams.data && teams.items.length === 0 && <p class="muted">{t('settings.none')}</p>}
      {teams.items.map((team) => (
        <TeamCard key={team.id} team={team} users={users.items} onChanged={teams.reload} />
      ))}
    </div>
  );
}
