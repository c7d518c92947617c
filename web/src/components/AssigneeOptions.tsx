import { t, type MessageKey } from '../i18n';
import type { StaffMember, TeamRef } from '../use-staff';

/** Who an assign menu's value names: `agent:<id>`, `team:<id>`, or nobody (anything else). */
export function assignTarget(value: string): { agentId?: string | null; teamId?: string } {
  const [kind, id] = value.split(':');
  if (kind === 'agent' && id) return { agentId: id };
  if (kind === 'team' && id) return { teamId: id, agentId: null };
  return { agentId: null };
}

/** The colleagues and teams of an assign menu, as `agent:<id>` and `team:<id>` options. */
export function AssigneeOptions({
  staff,
  teams,
  presence = false,
}: {
  staff: StaffMember[];
  teams: TeamRef[];
  /** Show who is online or away next to the name. */
  presence?: boolean;
}) {
  return (
    <>
      {staff.length > 0 && (
        <optgroup label={t('actions.agents')}>
          {staff.map((a) => (
            <option value={`agent:${a.id}`}>
              {a.name}
              {presence && a.status !== 'offline'
                ? ` · ${t(`presence.${a.status}` as MessageKey)}`
                : ''}
            </option>
          ))}
        </optgroup>
      )}
      {teams.length > 0 && (
        <optgroup label={t('actions.teams')}>
          {teams.map((team) => (
            <option value={`team:${team.id}`}>{team.name}</option>
          ))}
        </optgroup>
      )}
    </>
  );
}
