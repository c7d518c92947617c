import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { MentionCandidate } from './mentions';
import { messageView, type MessageView } from '../common/views';

type Row = Record<string, unknown>;

/** How many of the newest messages the conversation view shows. */
const TIMELINE_LIMIT = 500;

/** One of the customer's identities as the panel lists it. */
export interface PanelIdentity {
  channel: string;
  kind: string;
  address: string;
  status: string;
}

/** The customer's latest consent for one channel and purpose. */
export interface PanelConsent {
  channel: string;
  purpose: string;
  status: string;
  source: string;
  createdAt: Date;
}

/** What the customer panel shows beside the timeline. */
export interface CustomerPanel {
  id: string;
  displayName: string;
  locale: unknown;
  timezone: unknown;
  attributes: unknown;
  tags: unknown;
  tier: unknown;
  preferences: unknown;
  identities: PanelIdentity[];
  consents: PanelConsent[];
}

const identity = (r: Row): PanelIdentity => ({
  channel: r.channel as string,
  kind: r.kind as string,
  address: r.address as string,
  status: r.status as string,
});

const consent = (r: Row): PanelConsent => ({
  channel: r.channel as string,
  purpose: r.purpose as string,
  status: r.status as string,
  source: r.source as string,
  createdAt: r.createdAt as Date,
});

/** What the conversation view reads beside the conversation, and the notes agents add to it. */
@Injectable()
export class ConversationDetailRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The conversation's newest messages (TIMELINE_LIMIT), oldest first, with their authors' names. */
  async timeline(conversationId: string): Promise<MessageView[]> {
    const rows = (await this.db.query(
      `SELECT * FROM (
         SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id
         WHERE m.conversation_id = $1 ORDER BY m.seq DESC LIMIT ${TIMELINE_LIMIT}
       ) t ORDER BY seq ASC`,
      [conversationId],
    )) as Row[];
    return rows.map(messageView);
  }

  async customerPanel(customerId: string): Promise<CustomerPanel> {
    const [c] = (await this.db.query(
      `SELECT id, display_name, locale, timezone, attributes, tags, tier, preferences FROM customers WHERE id = $1`,
      [customerId],
    )) as Row[];
    const identities = (await this.db.query(
      `SELECT channel, kind, address, status FROM customer_identities WHERE customer_id = $1 ORDER BY created_at`,
      [customerId],
    )) as Row[];
    const consents = (await this.db.query(
      `SELECT DISTINCT ON (channel, purpose) channel, purpose, status, source, created_at AS "createdAt"
       FROM consents WHERE customer_id = $1 ORDER BY channel, purpose, seq DESC`,
      [customerId],
    )) as Row[];
    return {
      id: customerId,
      displayName: c?.display_name as string,
      locale: c?.locale ?? null,
      timezone: c?.timezone ?? null,
      attributes: c?.attributes ?? {},
      tags: c?.tags ?? [],
      tier: c?.tier ?? null,
      preferences: c?.preferences ?? null,
      identities: identities.map(identity),
      consents: consents.map(consent),
    };
  }

  /** An internal note on the conversation's timeline (never sent), by `author`. */
  async addNote(
    conversation: { id: string; customerId: string },
    text: string,
    author: { id: string; name: string },
  ): Promise<MessageView> {
    const [row] = (await this.db.query(
      `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, author_id)
       VALUES ($1, $2, 'outbound', 'note', NULL, 'delivered', $3, $4) RETURNING *`,
      [conversation.customerId, conversation.id, text, author.id],
    )) as Row[];
    return messageView({ ...row, author_name: author.name });
  }

  /** Who a note may @mention: active users, marketers aside. */
  mentionCandidates(): Promise<MentionCandidate[]> {
    return this.db.query(
      `SELECT id, name, email FROM users WHERE active AND role <> 'marketer'`,
    ) as Promise<MentionCandidate[]>;
  }
}
