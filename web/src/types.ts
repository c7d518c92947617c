// Shapes of the hub's API. Those of routes documented in the OpenAPI document are its generated
// types (web/src/api/schema.ts, `npm run openapi:types`); the others are written by hand.
import type { AnswerOf } from './api/answers';

export type Channel = 'email' | 'sms' | 'voice' | 'wechat' | 'livechat' | 'whatsapp';
export const CHANNELS: Channel[] = ['email', 'sms', 'voice', 'wechat', 'livechat', 'whatsapp'];

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';
export type Priority = 'low' | 'normal' | 'high' | 'critical';
export type Role = 'admin' | 'supervisor' | 'agent' | 'marketer';

/** The signed-in user as the login answers it (GET /auth/me answers more). */
export type User = AnswerOf<'/api/v1/auth/login', 'post'>['user'];

type ConversationList = AnswerOf<'/api/v1/conversations', 'get'>;
type ConversationAnswer = AnswerOf<'/api/v1/conversations/{id}', 'get'>;
type ServerMessage = ConversationAnswer['messages'][number];

/** A conversation as the inbox lists it (GET /api/v1/conversations, and the actions' answers). */
export type Conversation = ConversationList['items'][number];

/** The next SLA deadline of the running cycle, or its breach. */
export type Sla = NonNullable<Conversation['sla']>;

/** A row of the notification centre; `kind` and `data` make its translated title. */
export type AppNotification = AnswerOf<'/api/v1/notifications', 'get'>['items'][number];
export type NotificationKind = AppNotification['kind'];

export type Attachment = ServerMessage['attachments'][number];

/** The fields a timeline item always has, a reply's placeholder included. */
type MessageCore =
  | 'id'
  | 'customerId'
  | 'conversationId'
  | 'direction'
  | 'kind'
  | 'channel'
  | 'text'
  | 'attachments'
  | 'status'
  | 'createdAt';

/**
 * A timeline item: a message as GET /api/v1/conversations/{id} gives it, or the placeholder of a
 * reply the server accepted whose `message.created` has not arrived yet (`pending`), which lacks
 * what only the server knows (seq, address, metadata, ...).
 */
export type Message = Pick<ServerMessage, MessageCore> &
  Partial<Omit<ServerMessage, MessageCore>> & {
    /** Client-only: a reply accepted by the server whose `message.created` has not arrived yet. */
    pending?: boolean;
  };

/**
 * A conversation with its timeline. Its `customer` is only the name: live `conversation.updated`
 * events replace the panel the server sends with `{id, displayName}` (the customer panel reads
 * GET /api/v1/customers/{id} itself).
 */
export type ConversationDetail = Omit<ConversationAnswer, 'messages' | 'customer'> & {
  customer: Conversation['customer'];
  messages: Message[];
};

/** GET /customers/:id. */
export type Customer = AnswerOf<'/api/v1/customers/{id}', 'get'>;
export type Identity = Customer['identities'][number];
export type PreferenceRow = Customer['preferences']['matrix'][number];

/** A row of GET /customers/:id/consents. */
export type Consent = AnswerOf<'/api/v1/customers/{id}/consents', 'get'>['items'][number];

export type CannedResponse = AnswerOf<'/api/v1/canned-responses', 'get'>['items'][number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A customer a search matched (first page of GET /conversations?q=), with how it matched. */
export type MatchedCustomer = NonNullable<ConversationList['customers']>[number];

/** A page of the conversation list; a search's first page also lists the customers it matched. */
export type ConversationPage = ConversationList;

/** The answer to a reply: the message queued and its channel. */
export type ReplyAccepted = AnswerOf<'/api/v1/conversations/{id}/replies', 'post'>;

export interface Filters {
  status: ConversationStatus | 'all';
  assignee: 'me' | 'none' | 'all';
  channel: Channel | '';
  q: string;
  /** A label the list is narrowed to ('' or absent: any). */
  tag?: string;
}

export interface AgentRef {
  id: string;
  name: string;
}

type OnlineAgent = AnswerOf<'/api/v1/agents/presence', 'get'>['items'][number];

/**
 * An agent's presence: GET /api/v1/agents/presence lists those online or away; the `presence`
 * socket event also says when one goes offline.
 */
export type Presence = Omit<OnlineAgent, 'status'> & { status: OnlineAgent['status'] | 'offline' };

/** GET /customers/:id/contact-budget. */
export type ContactBudget = AnswerOf<'/api/v1/customers/{id}/contact-budget', 'get'>;
