import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainEvents } from '../events/domain-events';
import { LivechatGateway } from './livechat.gateway';

/**
 * Agent typing indicators shown in the visitor's widget: on the 'agent.typing' domain event
 * (emitted by the inbox), or through agentTyping(customerId, typing).
 */
@Injectable()
export class LivechatTypingService implements OnModuleInit {
  constructor(
    private readonly gateway: LivechatGateway,
    private readonly events: DomainEvents,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.events.on('agent.typing', async (e) => {
      const rows = (await this.db.query(`SELECT customer_id FROM conversations WHERE id = $1`, [
        e.conversationId,
      ])) as Array<{ customer_id: string }>;
      if (rows[0]) await this.agentTyping(rows[0].customer_id, e.typing);
    });
  }

  async agentTyping(customerId: string, typing: boolean): Promise<void> {
    const rows = (await this.db.query(
      `SELECT address FROM customer_identities WHERE customer_id = $1 AND kind = 'livechat'`,
      [customerId],
    )) as Array<{ address: string }>;
    for (const r of rows) this.gateway.typing(r.address, typing);
  }
}
