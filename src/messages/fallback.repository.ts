import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Channel, Purpose } from '../common/names';

type Row = Record<string, unknown>;

/** The message a fallback chain starts from. */
export interface FallbackOriginal {
  id: string;
  customerId: string;
  purpose: Purpose | null;
  topic: string | null;
  urgency: string | null;
  route: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
  createdAt: Date;
}

/** The original or one of its fallbacks, and whether the customer answered since the original. */
export interface ChainLink {
  id: string;
  channel: Channel;
  status: string;
  answered: boolean;
}

/** The customer a fallback is rendered for. */
export interface FallbackRecipient {
  displayName: string;
  locale: string;
  timezone: string;
  attributes: Record<string, unknown> | null;
}

function fallbackOriginal(r: Row): FallbackOriginal {
  return {
    id: r.id as string,
    customerId: r.customer_id as string,
    purpose: (r.purpose as Purpose | null) ?? null,
    topic: (r.topic as string | null) ?? null,
    urgency: (r.urgency as string | null) ?? null,
    route: (r.route as Record<string, unknown> | null) ?? null,
    metadata: (r.metadata as Record<string, unknown> | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

/** The reads and the log line of the fallback chain's checks. */
@Injectable()
export class FallbackRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async original(messageId: string): Promise<FallbackOriginal | null> {
    const rows = (await this.db.query(`SELECT * FROM messages WHERE id = $1`, [
      messageId,
    ])) as Row[];
    return rows[0] ? fallbackOriginal(rows[0]) : null;
  }

  /** The original and its fallbacks, oldest first; each says whether the customer answered since. */
  async chain(original: FallbackOriginal): Promise<ChainLink[]> {
    return (await this.db.query(
      `SELECT id, channel, status,
              EXISTS (SELECT 1 FROM messages i WHERE i.customer_id = $2 AND i.direction = 'inbound' AND i.created_at > $3) AS answered
       FROM messages WHERE id = $1 OR metadata->>'fallbackOf' = $1::text ORDER BY created_at`,
      [original.id, original.customerId, original.createdAt],
    )) as ChainLink[];
  }

  async recipient(customerId: string): Promise<FallbackRecipient | null> {
    const rows = (await this.db.query(
      `SELECT display_name, locale, timezone, attributes FROM customers WHERE id = $1`,
      [customerId],
    )) as Row[];
    const c = rows[0];
    if (!c) return null;
    return {
      displayName: c.display_name as string,
      locale: c.locale as string,
      timezone: c.timezone as string,
      attributes: (c.attributes as Record<string, unknown> | null) ?? null,
    };
  }

  /** Appends one entry to the original's metadata.fallbackLog. */
  async appendLog(messageId: string, entry: Record<string, unknown>): Promise<void> {
    await this.db.query(
      `UPDATE messages SET metadata = jsonb_set(metadata, '{fallbackLog}', COALESCE(metadata->'fallbackLog', '[]'::jsonb) || $2::jsonb), updated_at = now() WHERE id = $1`,
      [messageId, JSON.stringify([entry])],
    );
  }
}
