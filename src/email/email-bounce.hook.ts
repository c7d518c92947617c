import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BounceInfo } from '../../channel-adapters/email';
import type { NormalizedInbound } from '../channels/channel-port';
import { DomainEvents } from '../events/domain-events';
import { InboundService } from '../ingest/inbound.service';

type Row = Record<string, unknown>;

/**
 * Delivery status notifications: a permanent bounce marks the address 'bounced' (routing and
 * sends skip it) and fails the outbound message it reports on, with the DSN status code.
 */
@Injectable()
export class EmailBounceHook implements OnModuleInit {
  private readonly log = new Logger('EmailBounce');

  constructor(
    private readonly inbound: InboundService,
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.inbound.addHook((inbound) => this.onInbound(inbound));
  }

  async onInbound(inbound: NormalizedInbound): Promise<void> {
    if (inbound.channel !== 'email') return;
    const bounce = inbound.metadata?.bounce as BounceInfo | undefined;
    if (!bounce?.recipient) return;
    const code = bounce.status || bounce.action || 'bounce';
    if (bounce.permanent) {
      await this.db.query(
        `UPDATE customer_identities SET status = 'bounced', status_reason = $2 WHERE kind = 'email' AND address = $1`,
        [
          bounce.recipient.toLowerCase(),
          `bounce ${code}${bounce.diagnostic ? `: ${bounce.diagnostic}` : ''}`.slice(0, 500),
        ],
      );
    }
    if (!bounce.originalMessageId || !bounce.permanent) return;
    const rows = (await this.db.query(
      `UPDATE messages SET status = 'failed', updated_at = now(),
              metadata = metadata || jsonb_build_object('delivery', jsonb_build_object('errorClass', 'permanent', 'errorCode', $2::text, 'bounce', $3::jsonb))
       WHERE channel = 'email' AND direction = 'outbound' AND provider_message_id = $1 RETURNING *`,
      [bounce.originalMessageId, code, JSON.stringify(bounce)],
    )) as [Row[], number];
    const msg = rows[0][0];
    if (!msg) return;
    this.log.warn(`message ${String(msg.id)} bounced: ${code}`);
    this.events.emit('message.status', {
      messageId: msg.id as string,
      status: 'failed',
      customerId: msg.customer_id as string,
      conversationId: (msg.conversation_id as string) ?? null,
      channel: 'email',
      errorCode: code,
    });
  }
}
