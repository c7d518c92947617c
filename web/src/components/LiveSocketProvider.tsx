// Opens the agents' socket once per signed-in session, for the whole app (the notification
// centre, the inbox, the team view), and reports this tab's presence on it.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { connectAgents } from '../live';
import { LiveSocketContext, type LiveSocket } from '../hooks/useLiveSocket';

interface Props {
  token: string;
  /** False for roles the `/agents` namespace refuses (marketers). */
  enabled: boolean;
  children: ComponentChildren;
}

const OFF: LiveSocket = { socket: null, connected: false };
const visibleStatus = () => (document.visibilityState === 'hidden' ? 'away' : 'online');

export function LiveSocketProvider({ token, enabled, children }: Props) {
  const [live, setLive] = useState<LiveSocket>(OFF);

  useEffect(() => {
    if (!enabled) return;
    const socket = connectAgents(token);
    const set = (connected: boolean) => setLive({ socket, connected });
    set(false);
    socket.on('connect', () => {
      set(true);
      socket.emit('presence', { status: visibleStatus() });
    });
    socket.on('disconnect', () => set(false));
    socket.on('connect_error', () => set(false));
    const onVisibility = () => {
      if (socket.connected) socket.emit('presence', { status: visibleStatus() });
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      socket.removeAllListeners();
      socket.disconnect();
      setLive(OFF);
    };
  }, [token, enabled]);

  return <LiveSocketContext.Provider value={live}>{children}</LiveSocketContext.Provider>;
}
