// The open conversation's detail (GET /conversations/:id), with live messages that arrive while it
// loads kept in a buffer, and the server told which conversation this agent views.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { client, unwrap } from '../api/client';
import type { AgentSocket } from '../live';
import { mergeMessages } from '../messages';
import type { ConversationDetail, Message } from '../types';

export function useOpenConversation(
  conversationId: string | null,
  reloadTick: number,
  socket: AgentSocket | null,
) {
  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Live messages for the open conversation that arrived while its detail was loading. */
  const liveBuffer = useRef<Message[]>([]);
  const socketRef = useRef(socket);
  socketRef.current = socket;

  useEffect(() => {
    setError(null);
    liveBuffer.current = [];
    if (!conversationId) {
      setDetail(null);
      return;
    }
    setDetail((d) => (d && d.id === conversationId ? d : null));
    let live = true;
    unwrap(client.GET('/api/v1/conversations/{id}', { params: { path: { id: conversationId } } }))
      .then((d) => {
        if (!live) return;
        const messages = mergeMessages(d.messages, liveBuffer.current);
        liveBuffer.current = [];
        setDetail({ ...d, messages });
      })
      .catch((err: unknown) => {
        if (live) setError(err instanceof ApiError ? err.message : String(err));
      });
    const s = socketRef.current;
    if (s?.connected) s.emit('view', { conversationId });
    return () => {
      live = false;
      const s = socketRef.current;
      if (s?.connected) {
        s.emit('typing', { conversationId, typing: false });
        s.emit('view', { conversationId: null });
      }
    };
  }, [conversationId, reloadTick]);

  return { detail, setDetail, error, liveBuffer };
}
