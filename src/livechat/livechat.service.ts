import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { LIVECHAT_MAX_LENGTH, type ChatPayload } from '../../channel-adapters/livechat';
import { AppConfig } from '../config/app-config';
import type { MessageView } from '../conversations/views';
import { CustomersService } from '../customers/customers.service';
import { InboundService } from '../ingest/inbound.service';
import { ChatRefused } from './chat-refused';
import { parseRateLimit, SlidingWindowLimiter } from './rate-limit';

const HISTORY_LIMIT = 50;
const IncomingMessage = z.object({
  text: z.string(),
  clientMessageId: z.string().min(1).max(100).optional(),
});
/** The widget sends '' for a field left blank. */
const blankless = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );
const Identify = z.object({
  name: blankless(z.string().trim().max(200)),
  email: blankless(z.string().trim().toLowerCase().email().max(320)),
});

type Row = Record<string, unknown>;

/** What the chat does for a visitor, independent of the socket: messages in, history, identify. */
@Injectable()
export class LivechatService {
  private readonly limiter: SlidingWindowLimiter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inbound: InboundService,
    private readonly customers: CustomersService,
    config: AppConfig,
  ) {
    this.limiter = new SlidingWindowLimiter(parseRateLimit(config.env.CHAT_RATE_LIMIT));
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
    if (!this.limiter.take(visitorId))
      throw new ChatRefused(`rate limit: at most ${this.limiter.describe()}, wait a moment`);
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

  /**
   * The visitor gives a name and/or e-mail: the address joins the visitor's customer, or, when it
   * already belongs to another customer, the visitor's customer is merged into that one.
   */
  async identify(
    visitorId: string,
    body: unknown,
  ): Promise<{ customerId: string; merged: boolean }> {
    const parsed = Identify.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ChatRefused(`identify: ${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const name = parsed.data.name as string | undefined;
    const email = parsed.data.email as string | undefined;
    if (!name && !email) throw new ChatRefused('identify: give a name or an email');
    let customerId = await this.customerOf(visitorId);
    if (!customerId) {
      customerId = (
        await this.customers.create({
          displayName: name ?? 'Chat visitor',
          identities: [{ channel: 'livechat', address: visitorId }],
        })
      ).id;
    }
    if (email) {
      const owner = (await this.db.query(
        `SELECT customer_id FROM customer_identities WHERE kind = 'email' AND address = $1`,
        [email],
      )) as Row[];
      const ownerId = owner[0]?.customer_id as string | undefined;
      if (ownerId && ownerId !== customerId) {
        await this.customers.merge(ownerId, customerId, null);
        return { customerId: ownerId, merged: true };
      }
      if (!ownerId)
        await this.customers.update(customerId, {
          identities: [{ channel: 'email', address: email }],
        });
    }
    if (name) {
      const current = await this.customers.get(customerId);
      if (current.displayName === 'Chat visitor' || current.displayName === visitorId)
        await this.customers.update(customerId, { displayName: name });
    }
    return { customerId, merged: false };
  }
}
