import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

export interface EmailSignature {
  address: string;
  text: string;
  updatedAt: string;
}

/** The signature of each e-mail inbox address (lower-cased), appended to agents' replies. */
@Injectable()
export class EmailSignaturesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(address: string): Promise<EmailSignature | null> {
    const rows = (await this.db.query(
      `SELECT address, text, updated_at FROM email_signatures WHERE address = lower($1)`,
      [address],
    )) as Row[];
    return rows[0] ? signature(rows[0]) : null;
  }

  async put(address: string, text: string, userId: string): Promise<EmailSignature> {
    const [row] = (await this.db.query(
      `INSERT INTO email_signatures (address, text, updated_by) VALUES (lower($1), $2, $3)
       ON CONFLICT (address) DO UPDATE SET text = EXCLUDED.text, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING address, text, updated_at`,
      [address, text, userId],
    )) as Row[];
    return signature(row);
  }

  async remove(address: string): Promise<void> {
    await this.db.query(`DELETE FROM email_signatures WHERE address = lower($1)`, [address]);
  }
}

function signature(r: Row): EmailSignature {
  return {
    address: r.address as string,
    text: r.text as string,
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}
