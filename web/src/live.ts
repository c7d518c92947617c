// The agents' socket.io connection (namespace `/agents`) and the shapes of its events.
import { io, type Socket } from 'socket.io-client';
import type { AgentRef, AppNotification, Conversation, Message, Presence } from './types';

export interface ServerEvents {
  'conversation.created': (e: { conversation: Conversation }) => void;
  'conversation.updated': (e: { conversation: Conversation }) => void;
  'message.created': (e: { message: Message; conversation?: Conversation }) => void;
  'message.status': (e: { messageId: string; status: Message['status'] }) => void;
  'sla.breached': (e: { conversationId: string; policy?: string; kind?: string }) => void;
  'agent.typing': (e: { conversationId: string; agent: AgentRef; typing: boolean }) => void;
  'agent.viewing': (e: { conversationId: string; agents: AgentRef[] }) => void;
  presence: (e: Presence) => void;
  mention: (e: { conversationId: string; messageId: string; by: AgentRef; text?: string }) => void;
  'follow_up.due': (e: { followUpId: string; conversationId: string; note: string }) => void;
  notification: (n: AppNotification) => void;
  'session.ended': (e: { reason: string }) => void;
}

export interface ClientEvents {
  typing: (e: { conversationId: string; typing: boolean }) => void;
  view: (e: { conversationId: string | null }) => void;
  presence: (e: { status: 'online' | 'away' }) => void;
}

export type AgentSocket = Socket<ServerEvents, ClientEvents>;

const attachers = new Set<(socket: AgentSocket) => void>();

/** Listeners put on every agents' socket opened from now on (the notification centre's). */
export function onAgentSocket(attach: (socket: AgentSocket) => void): () => void {
  attachers.add(attach);
  return () => attachers.delete(attach);
}

/** Opened once per signed-in session by LiveSocketProvider; pages listen through useLiveSocket. */
export function connectAgents(token: string): AgentSocket {
  // Same origin as the app; the backend serves both.
  const socket: AgentSocket = io('/agents', {
    auth: { token },
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });
  for (const attach of attachers) attach(socket);
  return socket;
}
