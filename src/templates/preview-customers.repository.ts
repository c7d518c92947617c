import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface PreviewCustomer {
  id: string;
  displayName: string;
  locale: string;
}

type Row = { id: string; display_name: string; locale: string };

/** Customers to preview a template against: a name or address fragment, a few answers. */
@Injectable()
export class PreviewCustomersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(term: string, limit: number): Promise<PreviewCustomer[]> {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = (await this.db.query(
      `SELECT c.id, c.display_name, c.locale FROM customers c
       WHERE c.erased_at IS NULL AND c.merged_into_id IS NULL
         AND (c.display_name ILIKE $1 OR EXISTS (
           SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id AND i.address ILIKE $1))
       ORDER BY c.display_name, c.id LIMIT $2`,
      [like, limit],
    )) as Row[];
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, locale: r.locale }));
  }
}
