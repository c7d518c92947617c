import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OutboundService } from '../delivery/outbound.service';
import { DomainEvents } from '../events/domain-events';

type Row = Record<string, unknown>;

/**
 * A chat reply that found no open tab (status 'undelivered') goes by email when the customer
 * has a deliverable address; the chat message keeps metadata.fellBackTo = 'email'.
 */
@Injectable()
export class LivechatFallbackService implements OnModuleInit {
  private readonly log = new Logger('LivechatFallback');

  constructor(
    private readonly events: DomainEvents,
    private readonly outbound: OutboundService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.events.on('message.status', async (e) => {
      if (e.channel === 'livechat' && e.status === 'undelivered') await this.fallBack(e.messageId);
    });
  }

  async fallBack(messageId: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT * FROM messages WHERE id = $1 AND direction = 'outbound' AND channel = 'livechat'`,
      [messageId],
    )) as Row[];
    const msg = rows[0];
    if (!msg || (msg.metadata as Row | null)?.fellBackTo) return null;
    const email = (await this.db.query(
      `SELECT 1 FROM customer_identities WHERE customer_id = $1 AND kind = 'email' AND status = 'active' LIMIT 1`,
      [msg.customer_id],
    )) as Row[];
    if (email.length === 0) return null;
    const conv = msg.conversation_id
      ? (
          (await this.db.query(`SELECT subject FROM conversations WHERE id = $1`, [
            msg.conversation_id,
          ])) as Row[]
        )[0]
      : undefined;
    const { message } = await this.outbound.send({
      customerId: msg.customer_id as string,
      conversationId: (msg.conversation_id as string) ?? null,
      channel: 'email',
      text: msg.text as string,
      subject: (conv?.subject as string) || 'Reply to your chat',
      purpose: 'service',
      authorId: (msg.author_id as string) ?? null,
      idempotencyKey: `livechat-fallback:${messageId}`,
      metadata: { fallbackFrom: messageId },
    });
    await this.db.query(
      `UPDATE messages SET metadata = metadata || jsonb_build_object('fellBackTo', 'email', 'fallbackMessageId', $2::text), updated_at = now() WHERE id = $1`,
      [messageId, message.id],
    );
    this.log.log(`chat reply ${messageId} fell back to email ${message.id}`);
    return message.id;
  }
}
