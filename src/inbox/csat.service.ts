import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Channel } from '../common/names';
import { OutboundService } from '../delivery/outbound.service';
import { DomainEvents } from '../events/domain-events';
import { InboundService } from '../ingest/inbound.service';
import { ConversationActionsService } from './conversation-actions.service';
import { csatScore } from './csat-score';

type Row = Record<string, unknown>;
export const CSAT_QUESTION = 'How did we do? Reply 1-5 (5 = great) · 请回复 1-5 或 满意 / 不满意';

/**
 * On resolve, one rating request on the conversation's channel; a rating reply is recorded as the
 * score. Never to mailing-list mail (metadata.mailingList): nothing is answered automatically there.
 */
@Injectable()
export class CsatService implements OnModuleInit {
  private readonly log = new Logger('Csat');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
    private readonly outbound: OutboundService,
    private readonly inbound: InboundService,
    private readonly actions: ConversationActionsService,
  ) {}

  onModuleInit(): void {
    this.events.on('conversation.updated', async ({ conversation }) => {
      if (conversation.status === 'resolved') await this.request(conversation.id);
    });
    this.inbound.addHook(async (msg, result) => {
      if (result.conversation && msg.kind !== 'call')
        await this.record(result.conversation.id, result.message.id, msg.text ?? '');
    });
  }

  async request(conversationId: string): Promise<void> {
    const [rows] = (await this.db.query(
      `UPDATE conversations SET csat_requested_at = now() WHERE id = $1 AND csat_requested_at IS NULL AND last_inbound_channel IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.direction = 'inbound' AND m.metadata ? 'mailingList')
       RETURNING *`,
      [conversationId],
    )) as [Row[], number];
    const row = rows[0];
    if (!row) return;
    try {
      await this.outbound.send({
        customerId: row.customer_id as string,
        conversationId,
        channel: row.last_inbound_channel as Channel,
        text: CSAT_QUESTION,
        purpose: 'service',
        metadata: { csat: true, conversationId },
      });
    } catch (e) {
      this.log.warn(`no CSAT request for conversation ${conversationId}: ${(e as Error).message}`);
    }
  }

  async record(conversationId: string, messageId: string, text: string): Promise<void> {
    const score = csatScore(text);
    if (score === null) return;
    const [rows] = (await this.db.query(
      `UPDATE conversations SET csat_score = $2, status = 'resolved', resolved_at = now(), updated_at = now()
       WHERE id = $1 AND csat_requested_at IS NOT NULL AND csat_score IS NULL AND csat_requested_at > now() - interval '7 days' RETURNING *`,
      [conversationId, score],
    )) as [Row[], number];
    if (!rows[0]) return;
    await this.db.query(
      `INSERT INTO csat_responses (conversation_id, customer_id, message_id, score) VALUES ($1, $2, $3, $4)`,
      [conversationId, rows[0].customer_id, messageId, score],
    );
    await this.actions.publish(rows[0]);
  }
}
