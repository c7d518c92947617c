import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { ConversationView, MessageView } from '../common/views';
import { Transactions } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { JobQueueService } from '../queue/job-queue.service';
import { DeliveryService } from './delivery.service';
import { EmailThreadsRepository } from './email-threads.repository';
import { fallbackDedupeKey, FALLBACK_JOB } from './fallback-job';
import {
  OutboundMessagesRepository,
  type QueuedMessage,
  type StagedJob,
} from './outbound-messages.repository';
import { sendRefusal } from './send-refusal';

/** One outbound message to send, on a channel already chosen. */
export type DirectSend = QueuedMessage;

type Inserted =
  | { refused: string }
  | {
      /** The message; null when its idempotency key was taken. */
      message: MessageView | null;
      /** Outbox rows written with the message, to dispatch after commit. */
      jobs: StagedJob[];
      conversation: ConversationView | null;
    };

/**
 * Puts one outbound message on the timeline and queues its send, on a channel already chosen
 * (by the routing engine or an agent). Identity and consent are checked here too: nothing
 * leaves for an address the customer does not have or a purpose they refused.
 */
@Injectable()
export class OutboundService {
  constructor(
    private readonly outbound: OutboundMessagesRepository,
    private readonly transactions: Transactions,
    private readonly delivery: DeliveryService,
    private readonly queue: JobQueueService,
    private readonly events: DomainEvents,
    private readonly emailThreads: EmailThreadsRepository,
  ) {}

  async send(input: DirectSend): Promise<{ message: MessageView; created: boolean }> {
    const inserted = input.conversationId
      ? await this.sendInConversation(input)
      : await this.sendChecked(input);
    if ('refused' in inserted) throw new DomainError('unprocessable', inserted.refused);
    const { jobs, conversation } = inserted;
    const created = inserted.message !== null;
    // A retried idempotency key: the message the earlier request created.
    const message =
      inserted.message ?? (await this.outbound.byIdempotencyKey(input.idempotencyKey))!;
    if (created) {
      // The jobs are committed outbox rows: the caller need not wait for the queue to take them
      // (a failed or lost dispatch is the sweeper's; JobQueueService.dispatch never throws).
      for (const job of jobs) void this.queue.dispatch(job);
      this.events.emit('message.created', {
        message,
        conversation,
        isNewConversation: false,
      });
      if (conversation) this.events.emit('conversation.updated', { conversation });
    }
    return { message, created };
  }

  /**
   * No conversation to touch: the check, the message, its send job and its first fallback
   * check in one statement (concurrent sends share it); refused as sendRefusal says.
   */
  private async sendChecked(input: DirectSend): Promise<Inserted> {
    const { check, message, jobs } = await this.outbound.insertChecked(input);
    const refused = sendRefusal(input.channel, input.purpose, check);
    if (refused !== null) return { refused };
    return { message, jobs, conversation: null };
  }

  /** The check, then the message, its jobs and the conversation's summary in one transaction. */
  private async sendInConversation(input: DirectSend): Promise<Inserted> {
    const check = await this.outbound.sendCheck(input.customerId, input.channel, input.purpose);
    const refused = sendRefusal(input.channel, input.purpose, check);
    if (refused !== null) return { refused };
    // Email replies thread under the customer's last mail (In-Reply-To/References); explicit metadata wins.
    const thread =
      input.channel === 'email' && input.conversationId
        ? await this.emailThreads.headersFor(input.conversationId)
        : {};
    return this.insertInConversation(input, check.identity!.address, {
      ...thread,
      ...(input.metadata ?? {}),
    });
  }

  /** An agent's reply: the message, its send job and the conversation's summary in one transaction. */
  private insertInConversation(
    input: DirectSend,
    address: string,
    metadata: Record<string, unknown>,
  ): Promise<Inserted> {
    return this.transactions.run(async (tx) => {
      const message = await this.outbound.insert(input, address, metadata, tx);
      if (!message) return { message: null, jobs: [], conversation: null };
      const job = await this.delivery.stageSend(
        tx,
        message.id,
        input.sendAt ?? undefined,
        input.channel,
      );
      const conversation = await this.outbound.noteReply(
        input.conversationId!,
        input.channel,
        input.text,
        input.authorId ?? null,
        tx,
      );
      const jobs = [job];
      if (input.fallbackCheckAt) {
        jobs.push(
          await this.queue.stage(tx, {
            queue: FALLBACK_JOB.queue,
            name: FALLBACK_JOB.name,
            payload: { messageId: message.id, step: 0 },
            dedupeKey: fallbackDedupeKey(message.id, 0),
            runAt: input.fallbackCheckAt,
            maxAttempts: FALLBACK_JOB.maxAttempts,
          }),
        );
      }
      return { message, jobs, conversation };
    });
  }
}
