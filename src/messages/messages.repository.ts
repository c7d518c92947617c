import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { messageView, type MessageView } from '../common/views';

type Row = Record<string, unknown>;

/** What a send answered, found again by its idempotency key. */
export interface SentSummary {
  messageId: string;
  status: string;
  route: unknown;
}

/** A message sent as a fallback of another. */
export interface FollowUp {
  id: string;
  channel: string;
  status: string;
  createdAt: Date;
}

/** An outbound message as its recipient may see why it came: channel, when, and the route's reasons. */
export interface SentToCustomer {
  id: string;
  channel: string;
  status: string;
  purpose: string | null;
  topic: string | null;
  urgency: string | null;
  reasons: string[];
  createdAt: Date;
}

/** The routed messages' reads: GET /messages/:id and a retried POST /messages. */
@Injectable()
export class MessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async summaryByIdempotencyKey(key: string): Promise<SentSummary | null> {
    const rows = (await this.db.query(
      `SELECT id, status, route FROM messages WHERE idempotency_key = $1`,
      [key],
    )) as Row[];
    if (!rows[0]) return null;
    return {
      messageId: rows[0].id as string,
      status: rows[0].status as string,
      route: rows[0].route,
    };
  }

  async byId(id: string): Promise<MessageView | null> {
    const rows = (await this.db.query(
      `SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1`,
      [id],
    )) as Row[];
    return rows[0] ? messageView(rows[0]) : null;
  }

  /** The fallbacks sent for a message, oldest first. */
  async followUpsOf(id: string): Promise<FollowUp[]> {
    const rows = (await this.db.query(
      `SELECT id, channel, status, created_at FROM messages WHERE metadata->>'fallbackOf' = $1 ORDER BY created_at`,
      [id],
    )) as Row[];
    return rows.map((f) => ({
      id: f.id as string,
      channel: f.channel as string,
      status: f.status as string,
      createdAt: f.created_at as Date,
    }));
  }

  /** The customer's newest outbound messages (not notes or events), newest first. */
  async recentOutbound(customerId: string, limit: number): Promise<SentToCustomer[]> {
    const rows = (await this.db.query(
      `SELECT id, channel, status, purpose, topic, urgency, route->'reasons' AS reasons, created_at
       FROM messages WHERE customer_id = $1 AND direction = 'outbound' AND kind = 'message'
       ORDER BY created_at DESC LIMIT $2`,
      [customerId, limit],
    )) as Row[];
    return rows.map((r) => ({
      id: r.id as string,
      channel: r.channel as string,
      status: r.status as string,
      purpose: (r.purpose as string | null) ?? null,
      topic: (r.topic as string | null) ?? null,
      urgency: (r.urgency as string | null) ?? null,
      reasons: Array.isArray(r.reasons)
        ? (r.reasons as unknown[]).filter((x): x is string => typeof x === 'string')
        : [],
      createdAt: new Date(r.created_at as string),
    }));
  }
}
