// Who else is typing in, and viewing, the open conversation (socket events `agent.typing` and
// `agent.viewing`), forgotten when another conversation opens or the inbox reloads.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentSocket } from '../live';
import type { AgentRef, User } from '../types';
import { useSocketEvents } from './useLiveSocket';

const TYPING_EXPIRY_MS = 8000;

export function useConversationActivity(
  socket: AgentSocket | null,
  conversationId: string | null,
  reloadTick: number,
  meRef: RefObject<User | null>,
) {
  const [typing, setTyping] = useState<Record<string, string>>({}); // agentId -> name
  const [viewers, setViewers] = useState<AgentRef[]>([]);
  const openIdRef = useRef(conversationId);
  openIdRef.current = conversationId;
  const typingTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    for (const timer of typingTimers.current.values()) clearTimeout(timer);
    typingTimers.current.clear();
    setTyping({});
    setViewers([]);
  }, [conversationId, reloadTick]);

  useSocketEvents(socket, {
    'agent.typing': ({ conversationId: id, agent, typing: isTyping }) => {
      if (!agent || id !== openIdRef.current || agent.id === meRef.current?.id) return;
      const timers = typingTimers.current;
      const old = timers.get(agent.id);
      if (old) clearTimeout(old);
      timers.delete(agent.id);
      if (isTyping) {
        timers.set(
          agent.id,
          setTimeout(() => {
            timers.delete(agent.id);
            setTyping(({ [agent.id]: _gone, ...rest }) => rest);
          }, TYPING_EXPIRY_MS),
        );
        setTyping((t) => ({ ...t, [agent.id]: agent.name }));
      } else {
        setTyping(({ [agent.id]: _gone, ...rest }) => rest);
      }
    },
    'agent.viewing': ({ conversationId: id, agents }) => {
      if (id !== openIdRef.current) return;
      setViewers((agents ?? []).filter((a) => a.id !== meRef.current?.id));
    },
  });

  /** Tells the others in the open conversation that this agent is (or stopped) typing. */
  const emitTyping = (isTyping: boolean) => {
    if (socket?.connected && conversationId)
      socket.emit('typing', { conversationId, typing: isTyping });
  };

  return { typingNames: Object.values(typing), viewers, emitTyping };
}
