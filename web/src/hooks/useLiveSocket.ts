// The app-wide agents' socket, shared by every page through context: one connection per signed-in
// tab (opened by LiveSocketProvider in the app shell). Pages listen on it; they never open their own.
import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { AgentSocket, ServerEvents } from '../live';

export interface LiveSocket {
  /** Null while signed out or before the shell has opened it. */
  socket: AgentSocket | null;
  connected: boolean;
}

export const LiveSocketContext = createContext<LiveSocket>({ socket: null, connected: false });

export function useLiveSocket(): LiveSocket {
  return useContext(LiveSocketContext);
}

/** Handlers by event name; `connect` runs on every (re)connect of the shared socket. */
export type SocketHandlers = { [E in keyof ServerEvents]?: ServerEvents[E] } & {
  connect?: () => void;
};

type Listener = (...args: unknown[]) => void;
interface Emitter {
  on(event: string, fn: Listener): unknown;
  off(event: string, fn: Listener): unknown;
}

/**
 * Puts `handlers` on the shared socket while the caller is mounted and takes exactly them off
 * again (others' listeners stay). The latest render's handlers run; they are attached once.
 */
export function useSocketEvents(socket: AgentSocket | null, handlers: SocketHandlers): void {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    if (!socket) return;
    const emitter = socket as unknown as Emitter;
    const attached = Object.keys(current.current).map((name) => {
      const fn: Listener = (...args) =>
        (current.current as Record<string, Listener | undefined>)[name]?.(...args);
      emitter.on(name, fn);
      return [name, fn] as const;
    });
    return () => {
      for (const [name, fn] of attached) emitter.off(name, fn);
    };
  }, [socket]);
}
