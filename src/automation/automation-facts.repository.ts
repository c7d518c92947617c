import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { messageView, type MessageView } from '../common/views';
import type { BusinessCalendar } from '../inbox/business-hours';

type Row = Record<string, unknown>;

export interface ConversationFacts {
  id: string;
  customerId: string;
  customerName: string;
  channel: string | null;
  locale: string;
  tier: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  teamId: string | null;
  priority: string | null;
  /** The team's hours; null without a team. */
  calendar: BusinessCalendar | null;
}

/** What rules read of a conversation, and what they write on its timeline. */
@Injectable()
export class AutomationFactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async facts(conversationId: string): Promise<ConversationFacts | null> {
    const [r] = (await this.db.query(
      `SELECT c.id, c.customer_id, c.last_inbound_channel, c.tags, c.team_id, c.priority,
              cu.display_name, cu.locale, cu.attributes, rs.tier,
              t.timezone, t.business_hours, t.holidays::text[] AS holidays
         FROM conversations c
         JOIN customers cu ON cu.id = c.customer_id
         LEFT JOIN rfm_scores rs ON rs.customer_id = c.customer_id
         LEFT JOIN teams t ON t.id = c.team_id
        WHERE c.id = $1`,
      [conversationId],
    )) as Row[];
    if (!r) return null;
    return {
      id: r.id as string,
      customerId: r.customer_id as string,
      customerName: (r.display_name as string | null) ?? '',
      channel: (r.last_inbound_channel as string | null) ?? null,
      locale: (r.locale as string | null) ?? 'en',
      tier: (r.tier as string | null) ?? null,
      tags: (r.tags as string[] | null) ?? [],
      attributes: (r.attributes as Record<string, unknown> | null) ?? {},
      teamId: (r.team_id as string | null) ?? null,
      priority: (r.priority as string | null) ?? null,
      calendar: r.team_id
        ? {
            timezone: (r.timezone as string | null) ?? 'UTC',
            hours: (r.business_hours as BusinessCalendar['hours']) ?? null,
            holidays: (r.holidays as string[] | null) ?? [],
          }
        : null,
    };
  }

  /** A timeline entry of kind 'event' (a rule fired, a macro ran) or an authorless note. */
  async addEntry(
    conv: { id: string; customerId: string },
    kind: 'event' | 'note',
    text: string,
    metadata: Record<string, unknown>,
    authorId: string | null = null,
  ): Promise<MessageView> {
    const [row] = (await this.db.query(
      `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, author_id, metadata)
       VALUES ($1, $2, 'outbound', $3, NULL, 'delivered', $4, $5, $6) RETURNING *`,
      [conv.customerId, conv.id, kind, text, authorId, JSON.stringify(metadata)],
    )) as Row[];
    return messageView(row);
  }

  async teamExists(id: string): Promise<boolean> {
    return ((await this.db.query(`SELECT 1 FROM teams WHERE id = $1`, [id])) as Row[]).length > 0;
  }

  /** An active user who may hold conversations (not a marketer). */
  async staffExists(id: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM users WHERE id = $1 AND active AND role <> 'marketer'`,
      [id],
    )) as Row[];
    return rows.length > 0;
  }
}
