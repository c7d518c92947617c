import { Injectable } from '@nestjs/common';
import type { StatusUpdate } from '../channels/channel-port';
import type { Channel, DeliveryStatus } from '../common/names';
import { Transactions } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import { MessageDeliveryRepository } from './message-delivery.repository';
import { nextDeliveryStatus } from './status-order';

export interface AppliedStatus {
  messageId: string;
  customerId: string;
  conversationId: string | null;
  /** The message's status after this callback (unchanged when the callback was stale). */
  status: DeliveryStatus;
  changed: boolean;
}

/**
 * Applies a provider status callback to the attempt it names (channel + provider message id)
 * and to its message, one way only (nextDeliveryStatus): rows are locked, so concurrent and
 * out-of-order callbacks cannot move a status backwards. Error codes are kept on both.
 */
@Injectable()
export class StatusCallbacksService {
  constructor(
    private readonly transactions: Transactions,
    private readonly attempts: DeliveryAttemptsRepository,
    private readonly messages: MessageDeliveryRepository,
    private readonly events: DomainEvents,
  ) {}

  /** null when no attempt carries this provider id (yet). */
  async apply(
    channel: Channel,
    update: StatusUpdate,
    providerStatus?: string,
  ): Promise<AppliedStatus | null> {
    const applied = await this.transactions.run(async (tx) => {
      const attempt = await this.attempts.lockByProviderId(channel, update.providerMessageId, tx);
      if (!attempt) return null;
      await this.attempts.setStatus(
        attempt.id,
        nextDeliveryStatus(attempt.status, update.status),
        update.errorCode ?? null,
        tx,
      );
      const msg = await this.messages.lockStatus(attempt.messageId, tx);
      const current = msg.status;
      const next = nextDeliveryStatus(current, update.status);
      const delivery = {
        ...(update.errorCode ? { errorCode: update.errorCode } : {}),
        ...(providerStatus ? { providerStatus } : {}),
      };
      await this.messages.setStatus(msg.id, next, delivery, tx);
      return {
        messageId: msg.id,
        customerId: msg.customerId,
        conversationId: msg.conversationId,
        status: next,
        changed: next !== current,
      } satisfies AppliedStatus;
    });
    if (applied?.changed) {
      this.events.emit('message.status', {
        messageId: applied.messageId,
        status: applied.status,
        customerId: applied.customerId,
        conversationId: applied.conversationId,
        channel,
        errorCode: update.errorCode ?? null,
      });
    }
    return applied;
  }
}
