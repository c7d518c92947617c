// Shapes of the hub's API (see /work/shared/API.md). Optional fields are ones the UI tolerates missing.

export type Channel = 'email' | 'sms' | 'voice' | 'wechat' | 'livechat';
export const CHANNELS: Channel[] = ['email', 'sms', 'voice', 'wechat', 'livechat'];

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';
export type Priority = 'low' | 'normal' | 'high' | 'critical';
export type Role = 'admin' | 'supervisor' | 'agent' | 'marketer';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Conversation {
  id: string;
  customerId: string;
  status: ConversationStatus;
  assigneeId: string | null;
  teamId: string | null;
  priority: Priority;
  lastChannel: Channel;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  createdAt: string;
  customer: { id: string; displayName: string };
}

export interface Attachment {
  filename: string;
  contentType: string;
  size: number;
  url?: string;
}

/** Details of a `kind: 'call'` item. Not fixed by the contract yet: the UI reads whichever is present. */
export interface CallDetails {
  status?: string;
  durationSeconds?: number;
  duration?: number;
  recordingUrl?: string;
  transcript?: string;
}

export interface Message {
  id: string;
  customerId: string;
  conversationId: string | null;
  direction: 'inbound' | 'outbound';
  kind: 'message' | 'note' | 'call' | 'event';
  channel: Channel;
  text: string | null;
  html?: string | null;
  subject?: string | null;
  attachments: Attachment[];
  status: string;
  createdAt: string;
  author?: { id: string; name: string } | null;
  route?: { channel?: Channel; reasons?: string[] } | null;
  call?: CallDetails | null;
  /** Client-only: a reply accepted by the server whose `message.created` has not arrived yet. */
  pending?: boolean;
}

export interface ConversationDetail extends Conversation {
  messages: Message[];
}

export interface Identity {
  channel: Channel;
  address: string;
  status: string;
}

export interface PreferenceRow {
  topic: string;
  urgency: string;
  channels: Channel[];
}

export interface Customer {
  id: string;
  displayName: string;
  locale?: string | null;
  timezone?: string | null;
  attributes?: Record<string, unknown> | null;
  tags?: string[] | null;
  tier?: string | null;
  identities: Identity[];
  preferences?: {
    matrix?: PreferenceRow[] | null;
    quietHours?: { start: string; end: string } | null;
  } | null;
}

export interface Consent {
  channel: Channel;
  purpose: string;
  status: 'granted' | 'revoked' | string;
  source: string;
  createdAt: string;
}

export interface CannedResponse {
  id: string;
  shortCode: string;
  text: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ReplyAccepted {
  messageId: string;
  status: string;
  route?: { channel?: Channel } | null;
}

export interface Filters {
  status: ConversationStatus | 'all';
  assignee: 'me' | 'none' | 'all';
  channel: Channel | '';
  q: string;
}

export interface AgentRef {
  id: string;
  name: string;
}

/** An agent's presence (GET /api/v1/agents/presence and the `presence` socket event). */
export interface Presence {
  agentId: string;
  name: string;
  status: 'online' | 'away' | 'offline';
}
