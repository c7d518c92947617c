import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import type { ConversationView, MessageView } from '../common/views';
import { DomainEvents } from '../events/domain-events';
import type { WebhookData } from './webhook-events';
import { WebhookPublisher } from './webhook-publisher';

const conversationData = (c: ConversationView): WebhookData<'conversation.created'> => ({
  conversation: {
    id: c.id,
    customerId: c.customerId,
    status: c.status,
    priority: c.priority,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    tags: c.tags,
    createdAt: c.createdAt,
    resolvedAt: c.resolvedAt,
  },
});

const messageData = (m: MessageView): WebhookData<'message.received'> => ({
  message: {
    id: m.id,
    customerId: m.customerId,
    conversationId: m.conversationId,
    channel: m.channel,
    kind: m.kind,
    text: m.text,
    subject: m.subject ?? null,
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
    })),
    createdAt: m.createdAt,
  },
});

/**
 * Which domain events become which webhook events, and what makes each the same event twice
 * (the dedupe key): a conversation resolved is one event per resolution, a message status one
 * per status, a consent change one per change.
 */
@Injectable()
export class WebhookEventSources implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly publisher: WebhookPublisher,
  ) {}

  onModuleInit(): void {
    const at = () => new Date();
    const p = this.publisher;
    this.events.on('message.created', ({ message }) =>
      message.direction === 'inbound'
        ? p.publishQuietly({
            type: 'message.received',
            data: messageData(message),
            dedupeKey: message.id,
            at: new Date(message.createdAt),
          })
        : undefined,
    );
    this.events.on('message.status', (e) =>
      p.publishQuietly({
        type: 'message.status',
        data: {
          messageId: e.messageId,
          customerId: e.customerId,
          conversationId: e.conversationId,
          channel: e.channel,
          status: e.status,
          errorCode: e.errorCode ?? null,
        },
        dedupeKey: `${e.messageId}:${e.status}`,
        at: at(),
      }),
    );
    this.events.on('conversation.created', ({ conversation }) =>
      p.publishQuietly({
        type: 'conversation.created',
        data: conversationData(conversation),
        dedupeKey: conversation.id,
        at: new Date(conversation.createdAt),
      }),
    );
    this.events.on('conversation.updated', ({ conversation: c }) =>
      c.status === 'resolved' && c.resolvedAt
        ? p.publishQuietly({
            type: 'conversation.resolved',
            data: conversationData(c),
            dedupeKey: `${c.id}:${c.resolvedAt}`,
            at: new Date(c.resolvedAt),
          })
        : undefined,
    );
    this.events.on('conversation.assigned', (e) =>
      p.publishQuietly({
        type: 'conversation.assigned',
        data: { conversationId: e.conversationId, assigneeId: e.assigneeId, by: e.by },
        dedupeKey: `${e.conversationId}:${e.at}`,
        at: new Date(e.at),
      }),
    );
    this.events.on('csat.received', (e) =>
      p.publishQuietly({ type: 'csat.received', data: e, dedupeKey: e.messageId, at: at() }),
    );
    this.events.on('consent.changed', (e) =>
      p.publishQuietly({
        type: 'consent.changed',
        data: e,
        dedupeKey: randomUUID(),
        at: at(),
      }),
    );
    this.events.on('campaign.progress', (e) =>
      e.status === 'completed'
        ? p.publishQuietly({
            type: 'campaign.completed',
            data: {
              campaignId: e.campaignId,
              recipients: e.recipients,
              sent: e.sent,
              suppressed: e.suppressed,
            },
            dedupeKey: e.campaignId,
            at: at(),
          })
        : undefined,
    );
    this.events.on('customer.merged', (e) =>
      p.publishQuietly({
        type: 'customer.merged',
        data: e,
        dedupeKey: `${e.survivorId}:${e.duplicateId}`,
        at: at(),
      }),
    );
    this.events.on('customer.erased', (e) =>
      p.publishQuietly({ type: 'customer.erased', data: e, dedupeKey: e.customerId, at: at() }),
    );
  }
}
