import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter } from 'events';
import type { ConversationView, MessageView } from '../common/views';
import type { DeliveryStatus } from '../common/names';

/** The events of this process's domain; socket.io, SLA, analytics listen here. */
export interface DomainEventMap {
  'message.created': {
    message: MessageView;
    conversation: ConversationView | null;
    isNewConversation: boolean;
  };
  'conversation.created': {
    conversation: ConversationView;
    /** The customer was created by the message that opened it: nothing was ever sent to them. */
    newCustomer?: boolean;
    /** The SLA cycle the writer began with the conversation, and the policy that applies (null: none). */
    slaCycle?: { at: Date; policy: Record<string, unknown> | null };
  };
  'conversation.updated': {
    conversation: ConversationView;
    /** Whether an SLA cycle ran when the writer updated the row; absent when it did not read it. */
    slaCycleRunning?: boolean;
  };
  'message.status': {
    messageId: string;
    status: DeliveryStatus;
    customerId: string;
    conversationId: string | null;
    channel: string | null;
    errorCode?: string | null;
  };
  'consent.changed': {
    customerId: string;
    channel: string;
    purpose: string;
    status: 'granted' | 'revoked';
    source: string;
  };
  /** A customer's preference matrix, quiet hours or time zone changed (the ledger has the details). */
  'preferences.changed': {
    customerId: string;
    fields: Array<'matrix' | 'quietHours' | 'timezone'>;
    source: string;
  };
  'customer.merged': { survivorId: string; duplicateId: string };
  /** A customer's personal data was erased (they and those merged into them). */
  'customer.erased': { customerId: string };
  /** A CSAT answer was recorded on a conversation. */
  'csat.received': {
    conversationId: string;
    customerId: string;
    messageId: string;
    rating: number;
  };
  /** A webhook subscription was disabled after failing deliveries in a row. */
  'webhook.disabled': {
    subscriptionId: string;
    ownerId: string | null;
    url: string;
    reason: string;
  };
  /** A live-chat visitor started or stopped typing (the inbox forwards it to agents). */
  'visitor.typing': {
    visitorId: string;
    customerId: string | null;
    conversationId: string | null;
    typing: boolean;
  };
  /** An agent typing in a conversation (emitted by the inbox); live chat shows it to the visitor. */
  'agent.typing': { conversationId: string; agentId: string; typing: boolean };
  'sla.breached': {
    conversationId: string;
    kind: 'first_response' | 'resolution';
    policy: string;
    teamId: string | null;
    assigneeId: string | null;
    /** When the breached SLA cycle began (ISO): one breach per conversation, kind and cycle. */
    cycleAt?: string;
  };
  /** An SLA deadline of the running cycle is near (SLA_WARNING_SECONDS before it). */
  'sla.warning': {
    conversationId: string;
    kind: 'first_response' | 'resolution';
    dueAt: string;
    cycleAt: string;
    teamId: string | null;
    assigneeId: string | null;
  };
  /** A conversation was given to an agent (by a colleague: by set; by routing: null). */
  'conversation.assigned': {
    conversationId: string;
    assigneeId: string;
    by: { id: string; name: string } | null;
    /** The assigned row's updated_at (ISO): one notification per assignment. */
    at: string;
  };
  /** A user joined or left a team: their live rooms follow without a reconnect. */
  'team.members.changed': { teamId: string; userId: string; change: 'added' | 'removed' };
  /** A notification row was written for its user (pushed to their sockets as `notification`). */
  'notification.created': { userId: string; notification: Record<string, unknown> };
  'inbox.mention': {
    userIds: string[];
    conversationId: string;
    messageId: string;
    by: { id: string; name: string };
    text: string;
  };
  'follow_up.due': { followUpId: string; agentId: string; conversationId: string; note: string };
  /** A user's sessions ended (logout, deactivation) or their role changed: their /agents sockets close. */
  'user.sessions.ended': {
    userId: string;
    reason: 'logout' | 'deactivated' | 'role-changed' | 'password-reset';
  };
  /** A timeline item changed after creation (a call's recording or transcript arrived). */
  'message.updated': { message: MessageView };
  /** A campaign fan-out batch committed (or the campaign changed state): cumulative counts. */
  'campaign.progress': {
    campaignId: string;
    status: string;
    batches: number;
    recipients: number;
    sent: number;
    suppressed: number;
    done: boolean;
  };
}

@Injectable()
export class DomainEvents {
  private readonly log = new Logger('DomainEvents');
  private readonly emitter = new EventEmitter().setMaxListeners(100);

  emit<K extends keyof DomainEventMap>(event: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(event, payload);
  }

  /** Listeners run detached from the emitter; their failures are logged, never thrown back. */
  on<K extends keyof DomainEventMap>(
    event: K,
    fn: (payload: DomainEventMap[K]) => unknown,
  ): () => void {
    const wrapped = (p: DomainEventMap[K]) => {
      try {
        const r = fn(p);
        if (r instanceof Promise)
          r.catch((e: Error) => this.log.error(`listener of ${event} failed: ${e.message}`));
      } catch (e) {
        this.log.error(`listener of ${event} failed: ${(e as Error).message}`);
      }
    };
    this.emitter.on(event, wrapped);
    return () => this.emitter.off(event, wrapped);
  }
}
