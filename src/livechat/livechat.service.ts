import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { z } from 'zod';
import { LIVECHAT_MAX_LENGTH, type ChatPayload } from '../../channel-adapters/livechat';
import { AppConfig } from '../config/app-config';
import type { MessageView } from '../common/views';
import { InboundService } from '../ingest/inbound.service';
import { ChatRefused } from './chat-refused';
import { LivechatRepository } from './livechat.repository';
import { ChatLimiters, parseRateLimit, type KeyedLimiter } from './rate-limit';

const HISTORY_LIMIT = 50;
const IncomingMessage = z.object({
  text: z.string(),
  clientMessageId: z.string().min(1).max(100).optional(),
});

/** What the chat does for a visitor, independent of the socket: messages in, history. */
@Injectable()
export class LivechatService {
  private readonly limiter: KeyedLimiter;

  constructor(
    private readonly chats: LivechatRepository,
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
    return this.chats.customerOfVisitor(visitorId);
  }

  /** The visitor's customer's last chat messages, oldest first, as the widget draws them. */
  async history(visitorId: string): Promise<ChatPayload[]> {
    const customerId = await this.customerOf(visitorId);
    if (!customerId) return [];
    const latest = await this.chats.latestChatMessages(customerId, HISTORY_LIMIT);
    return latest.reverse().map((m) => ({
      id: m.id,
      text: m.text,
      direction: m.direction,
      author: m.authorName ? { name: m.authorName } : null,
      createdAt: m.createdAt.toISOString(),
    }));
  }

  /** The open conversation of the visitor's customer, if any (for typing events). */
  async conversationOf(customerId: string): Promise<string | null> {
    return this.chats.activeConversationOf(customerId);
  }
}
