import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { StatusUpdate } from '../channels/channel-port';
import type { Channel, DeliveryStatus } from '../common/names';
import { DomainEvents } from '../events/domain-events';
import { nextDeliveryStatus } from './status-order';

export interface AppliedStatus {
  messageId: string;
  customerId: string;
  conversationId: string | null;
  /** The message's status after this callback (unchanged when the callback was stale). */
  status: DeliveryStatus;
  changed: boolean;
}

type Row = Record<string, unknown>;

/**
 * Applies a provider status callback to the attempt it names (channel + provider message id)
 * and to its message, one way only (nextDeliveryStatus): rows are locked, so concurrent and
 * out-of-order callbacks cannot move a status backwards. Error codes are kept on both.
 */
@Injectable()
export class StatusCallbacksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
  ) {}

  /** null when no attempt carries this provider id (yet). */
  async apply(
    channel: Channel,
    update: StatusUpdate,
    providerStatus?: string,
  ): Promise<AppliedStatus | null> {
    const applied = await this.db.transaction(async (m) => {
      const attempts = (await m.query(
        `SELECT id, message_id, status FROM delivery_attempts WHERE channel = $1 AND provider_message_id = $2 FOR UPDATE`,
        [channel, update.providerMessageId],
      )) as Row[];
      const attempt = attempts[0];
      if (!attempt) return null;
      await m.query(
        `UPDATE delivery_attempts SET status = $2, error_code = COALESCE($3, error_code), updated_at = now() WHERE id = $1`,
        [
          attempt.id,
          nextDeliveryStatus(attempt.status as DeliveryStatus, update.status),
          update.errorCode ?? null,
        ],
      );
      const messages = (await m.query(
        `SELECT id, status, customer_id, conversation_id FROM messages WHERE id = $1 FOR UPDATE`,
        [attempt.message_id],
      )) as Row[];
      const msg = messages[0];
      const current = msg.status as DeliveryStatus;
      const next = nextDeliveryStatus(current, update.status);
      const delivery = {
        ...(update.errorCode ? { errorCode: update.errorCode } : {}),
        ...(providerStatus ? { providerStatus } : {}),
      };
      await m.query(
        `UPDATE messages SET status = $2, updated_at = now(),
                metadata = jsonb_set(metadata, '{delivery}', COALESCE(metadata->'delivery', '{}'::jsonb) || $3::jsonb)
         WHERE id = $1`,
        [msg.id, next, JSON.stringify(delivery)],
      );
      return {
        messageId: msg.id as string,
        customerId: msg.customer_id as string,
        conversationId: (msg.conversation_id as string | null) ?? null,
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
