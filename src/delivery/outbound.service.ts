import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { ConversationView, MessageView } from '../common/views';
import { Transactions } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { JobQueueService } from '../queue/job-queue.service';
import { DeliveryService } from './delivery.service';
import { replySubject } from './email-subject';
import { AppConfig } from '../config/app-config';
import { withHtmlSignature, withSignature } from './email-signature';
import { EmailSignaturesRepository } from './email-signatures.repository';
import { EmailThreadsRepository, type EmailThreadTopic } from './email-threads.repository';
import { fallbackDedupeKey, FALLBACK_JOB } from './fallback-job';
import {
  OutboundMessagesRepository,
  type QueuedMessage,
  type StagedJob,
} from './outbound-messages.repository';
import { sendRefusal } from './send-refusal';
import {
  approvedWhatsappTemplate,
  whatsappWindowProblem,
  WHATSAPP_WINDOW_HOURS,
} from '../routing/decision/whatsapp-window';

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
    private readonly signatures: EmailSignaturesRepository,
    private readonly config: AppConfig,
  ) {}

  async send(input: DirectSend): Promise<{ message: MessageView; created: boolean }> {
    if (input.channel === 'whatsapp') await this.checkWhatsappWindow(input);
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
   * WhatsApp's 24-hour customer service window: outside it only an approved template
   * (WHATSAPP_APPROVED_TEMPLATES) may go; anything else (an agent's free-form reply) is 422
   * naming the window.
   */
  private async checkWhatsappWindow(input: DirectSend): Promise<void> {
    const policy = {
      windowHours: WHATSAPP_WINDOW_HOURS,
      approvedTemplates: this.config.env.WHATSAPP_APPROVED_TEMPLATES,
    };
    if (approvedWhatsappTemplate(input.template ?? undefined, policy)) return;
    const last = await this.outbound.lastInboundAt(input.customerId, 'whatsapp');
    const at = Math.max(Date.now(), input.sendAt?.getTime() ?? 0);
    const problem = whatsappWindowProblem(last, input.template ?? undefined, at, policy);
    if (problem !== null)
      throw new DomainError(
        'unprocessable',
        `channel: whatsapp ${problem}; only approved templates may be sent`,
      );
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
    // Email replies thread under the customer's last mail (In-Reply-To/References); explicit
    // metadata wins. Without a subject of its own, a reply is "Re: " the thread's.
    if (input.channel === 'email' && input.conversationId) {
      const [thread, subject, signed] = await Promise.all([
        this.emailThreads.headersFor(input.conversationId),
        input.subject?.trim() ? input.subject : this.replySubjectIn(input.conversationId),
        this.signed(input),
      ]);
      return this.insertInConversation({ ...signed, subject }, check.identity!.address, {
        ...thread,
        ...(input.metadata ?? {}),
      });
    }
    return this.insertInConversation(input, check.identity!.address, input.metadata ?? {});
  }

  /** An agent's e-mail reply ends with the signature of the inbox it leaves from (EMAIL_FROM). */
  private async signed(input: DirectSend): Promise<DirectSend> {
    if (!input.authorId) return input;
    const signature = (await this.signatures.get(this.config.emailFrom))?.text;
    if (!signature) return input;
    return {
      ...input,
      text: withSignature(input.text, signature),
      ...(input.html ? { html: withHtmlSignature(input.html, signature) } : {}),
    };
  }

  /** The e-mail subject a message in the conversation answers, with the customer's locale. */
  emailTopicOf(conversationId: string): Promise<EmailThreadTopic | null> {
    return this.emailThreads.topicOf(conversationId);
  }

  /** "Re: " the conversation's e-mail subject, or a default in the customer's language. */
  private async replySubjectIn(conversationId: string): Promise<string> {
    const topic = await this.emailThreads.topicOf(conversationId);
    return replySubject(topic?.subject, topic?.locale ?? 'en');
  }

  /** An agent's reply: the message, its send job and the conversation's summary in one transaction. */
  private insertInConversation(
    input: DirectSend,
    address: string,
    metadata: Record<string, unknown>,
  ): Promise<Inserted> {
    return this.transactions.run(async (tx) => {
      const inserted = await this.outbound.insert(input, address, metadata, tx);
      if (!inserted) return { message: null, jobs: [], conversation: null };
      let message = inserted;
      if (input.attachmentIds?.length) {
        const attachments = await this.outbound.attachUploads(
          message.id,
          input.attachmentIds,
          input.authorId ?? null,
          tx,
        );
        // Thrown, so the transaction rolls back the message too.
        if (!attachments)
          throw new DomainError(
            'bad_request',
            'attachmentIds: each must be a file you uploaded (POST /api/v1/attachments) and not sent yet',
          );
        message = { ...message, attachments };
      }
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
