import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { LIVECHAT_MAX_LENGTH, type ChatPayload } from '../../channel-adapters/livechat';
import { AppConfig } from '../config/app-config';
import type { MessageView } from '../conversations/views';
import { InboundService } from '../ingest/inbound.service';
import { ChatRefused } from './chat-refused';
import { ChatLimiters, parseRateLimit, type KeyedLimiter } from './rate-limit';

const HISTORY_LIMIT = 50;
const IncomingMessage = z.object({
  text: z.string(),
  clientMessageId: z.string().min(1).max(100).optional(),
});
type Row = Record<string, unknown>;

/** What the chat does for a visitor, independent of the socket: messages in, history. */
@Injectable()
export class LivechatService {
  private readonly limiter: KeyedLimiter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inbound: InboundService,
    config: AppConfig,
    limiters: ChatLimiters,
  ) {
    const limit = parseRateLimit(config.env.CHAT_RATE_LIMIT);
    this.limiter = limiters.create({
      name: 'messages',
      points: limit.count,
      seconds: limit.windowMs / 1000,
    });
  }

  /** A visitor's message onto the timeline; refused when malformed, too long or over the rate limit. */
  async receive(visitorId: string, body: unknown): Promise<MessageView> {
    const parsed = IncomingMessage.safeParse(body);
    if (!parsed.success) throw new ChatRefused('message: expected {text: string}');
    const text = parsed.data.text.trim();
    if (!text) throw new ChatRefused('message: text is empty');
    if (text.length > LIVECHAT_MAX_LENGTH) {
      throw new ChatRefused(
        `message: text is ${text.length} characters, the limit is ${LIVECHAT_MAX_LENGTH}`,
      );
    }
    const wait = await this.limiter.take(visitorId);
    if (wait !== null) {
      const { points, seconds } = this.limiter.spec;
      throw new ChatRefused(
        `rate limit: at most ${points} messages per ${seconds} s, wait ${wait} s`,
      );
    }
    const result = await this.inbound.receive({
      channel: 'livechat',
      from: visitorId,
      providerMessageId: parsed.data.clientMessageId
        ? `${visitorId}:${parsed.data.clientMessageId}`
        : `lc-${randomUUID()}`,
      text,
      senderName: 'Chat visitor',
    });
    return result.message;
  }

  async customerOf(visitorId: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT customer_id FROM customer_identities WHERE kind = 'livechat' AND address = $1`,
      [visitorId],
    )) as Row[];
    return (rows[0]?.customer_id as string) ?? null;
  }

  /** The visitor's customer's last chat messages, oldest first, as the widget draws them. */
  async history(visitorId: string): Promise<ChatPayload[]> {
    const customerId = await this.customerOf(visitorId);
    if (!customerId) return [];
    const rows = (await this.db.query(
      `SELECT m.id, m.text, m.direction, m.created_at, u.name AS author_name FROM messages m
       LEFT JOIN users u ON u.id = m.author_id
       WHERE m.customer_id = $1 AND m.channel = 'livechat' AND m.kind = 'message'
       ORDER BY m.seq DESC LIMIT $2`,
      [customerId, HISTORY_LIMIT],
    )) as Row[];
    return rows.reverse().map((r) => ({
      id: r.id as string,
      text: r.text as string,
      direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
      author: r.author_name ? { name: r.author_name as string } : null,
      createdAt: new Date(r.created_at as string).toISOString(),
    }));
  }

  /** The open conversation of the visitor's customer, if any (for typing events). */
  async conversationOf(customerId: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'`,
      [customerId],
    )) as Row[];
    return (rows[0]?.id as string) ?? null;
  }
}
