import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LivechatGateway } from './livechat.gateway';

/** Agent typing indicators for a customer's chat visitors (the inbox calls agentTyping). */
@Injectable()
export class LivechatTypingService {
  constructor(
    private readonly gateway: LivechatGateway,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async agentTyping(customerId: string, typing: boolean): Promise<void> {
    const rows = (await this.db.query(`SELECT address FROM customer_identities WHERE customer_id = $1 AND kind = 'livechat'`, [
      customerId,
    ])) as Array<{ address: string }>;
    for (const r of rows) this.gateway.typing(r.address, typing);
  }
}
