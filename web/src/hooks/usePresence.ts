// Which agents are online or away: loaded on every connect of the shared socket (and at once when
// it is already connected), then kept by `presence` events.
import { useEffect, useState } from 'preact/hooks';
import { client, unwrap } from '../api/client';
import { applyPresence } from '../components/PresenceList';
import type { AgentSocket } from '../live';
import type { Presence } from '../types';
import { useSocketEvents } from './useLiveSocket';

export function usePresence(socket: AgentSocket | null): Presence[] {
  const [presence, setPresence] = useState<Presence[]>([]);

  const load = () => {
    unwrap(client.GET('/api/v1/agents/presence'))
      .then((r) => setPresence((live) => r.items.reduce(applyPresence, live)))
      .catch(() => undefined);
  };

  useEffect(() => {
    if (socket?.connected) load();
  }, [socket]);

  useSocketEvents(socket, {
    connect: load,
    presence: (e) => setPresence((l) => applyPresence(l, e)),
  });

  return presence;
}
