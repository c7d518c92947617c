// Keeps the inbox's list and open conversation current from the shared socket: conversations and
// messages as they change, delivery statuses, SLA breaches; a reconnect reloads what was missed.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { Dispatch, StateUpdater } from 'preact/hooks';
import { matchesFilters } from '../format';
import type { AgentSocket } from '../live';
import { mergeMessages, upsertTop } from '../messages';
import type { Conversation, ConversationDetail, Filters, Message, User } from '../types';
import { useSocketEvents } from './useLiveSocket';

interface Options {
  socket: AgentSocket | null;
  openIdRef: RefObject<string | null>;
  filtersRef: RefObject<Filters>;
  meRef: RefObject<User | null>;
  setList: Dispatch<StateUpdater<Conversation[]>>;
  setDetail: Dispatch<StateUpdater<ConversationDetail | null>>;
  liveBuffer: RefObject<Message[]>;
  /** After a reconnect (not the first connect): reload what may have been missed while offline. */
  onReconnect: () => void;
}

/** Returns the SLA breach labels seen live, by conversation id. */
export function useLiveConversations(o: Options): Record<string, string> {
  const { socket, openIdRef } = o;
  const [breaches, setBreaches] = useState<Record<string, string>>({});
  // A socket already connected when the inbox opens counts as connected once.
  const everConnected = useRef(false);
  useEffect(() => {
    everConnected.current = !!socket?.connected;
  }, [socket]);

  const onConversation = ({ conversation }: { conversation: Conversation }) => {
    if (!conversation?.id) return;
    const keep = matchesFilters(conversation, o.filtersRef.current, o.meRef.current);
    o.setList((l) => upsertTop(l, conversation, keep));
    if (conversation.id === openIdRef.current) {
      o.setDetail((d) =>
        d && d.id === conversation.id ? { ...d, ...conversation, messages: d.messages } : d,
      );
    }
  };

  useSocketEvents(socket, {
    connect: () => {
      if (openIdRef.current) socket?.emit('view', { conversationId: openIdRef.current });
      if (everConnected.current) o.onReconnect();
      everConnected.current = true;
    },
    'conversation.created': onConversation,
    'conversation.updated': onConversation,
    'message.created': ({ message, conversation }) => {
      if (conversation) onConversation({ conversation });
      if (!message) return;
      const convId = message.conversationId ?? conversation?.id;
      if (convId && convId === openIdRef.current) {
        o.liveBuffer.current.push(message);
        o.setDetail((d) =>
          d && d.id === convId ? { ...d, messages: mergeMessages(d.messages, [message]) } : d,
        );
      }
    },
    'message.status': ({ messageId, status }) => {
      o.setDetail((d) =>
        d && d.messages.some((m) => m.id === messageId)
          ? { ...d, messages: d.messages.map((m) => (m.id === messageId ? { ...m, status } : m)) }
          : d,
      );
    },
    'sla.breached': ({ conversationId: id, policy, kind }) => {
      const label = ['SLA', kind?.replace(/_/g, ' '), policy ? `(${policy})` : '']
        .filter(Boolean)
        .join(' ');
      setBreaches((b) => ({ ...b, [id]: label }));
    },
  });

  return breaches;
}
