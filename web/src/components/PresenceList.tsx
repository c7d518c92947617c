// Who else is working: agents online or away, kept current by the `presence` socket event.
import { t } from '../i18n';
import type { Presence } from '../types';

interface Props {
  agents: Presence[];
  meId: string | null;
}

export function PresenceList({ agents, meId }: Props) {
  const others = agents.filter((a) => a.agentId !== meId && a.status !== 'offline');
  return (
    <div class="presence" data-testid="presence-list">
      <span class="muted">{t('presence.team')}</span>
      {others.length === 0 && <span class="muted">{t('presence.nobody')}</span>}
      {others.map((a) => (
        <span
          key={a.agentId}
          class={`presence-agent ${a.status}`}
          data-testid="presence-agent"
          data-agent-id={a.agentId}
          data-status={a.status}
          title={t(`team.status.${a.status}`)}
        >
          {a.name || t('presence.agent')}
        </span>
      ))}
    </div>
  );
}

/** Applies one `presence` event to the list (offline agents leave it). */
export function applyPresence(list: Presence[], e: Presence): Presence[] {
  const rest = list.filter((a) => a.agentId !== e.agentId);
  if (e.status === 'offline') return rest;
  const name = e.name || list.find((a) => a.agentId === e.agentId)?.name || '';
  return [...rest, { ...e, name }].sort((a, b) => a.name.localeCompare(b.name));
}
