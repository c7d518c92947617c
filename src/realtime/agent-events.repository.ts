import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** The read the live agent feed makes itself: a customer's display name for its events. */
@Injectable()
export class AgentEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The customer's display name; '' for no such customer. */
  async customerDisplayName(customerId: string): Promise<string> {
    const rows = (await this.db.query(`SELECT display_name FROM customers WHERE id = $1`, [
      customerId,
    ])) as Row[];
    return (rows[0]?.display_name as string | undefined) ?? '';
  }
}
