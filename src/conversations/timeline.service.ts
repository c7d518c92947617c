import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { ConversationScope } from './visibility.service';
import { TimelineRepository, type TimelineOwner } from './timeline.repository';
import type { MessageView } from '../common/views';

export interface TimelinePage {
  items: MessageView[];
  nextCursor: string | null;
}

const encode = (seq: string) => Buffer.from(`s:${seq}`).toString('base64url');
const MAX_BIGINT = 2n ** 63n - 1n;
function decode(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString();
  // A position past bigint's range would reach PostgreSQL as an out-of-range error (a 500).
  if (!/^s:\d{1,19}$/.test(raw) || BigInt(raw.slice(2)) > MAX_BIGINT)
    throw new DomainError('bad_request', 'before: not a cursor this API returned');
  return raw.slice(2);
}

/** Keyset pages of a timeline, newest first, on the (customer_id|conversation_id, seq) indexes. */
@Injectable()
export class TimelineService {
  constructor(private readonly repo: TimelineRepository) {}

  /** With a scope, only messages of conversations it lets through (and those outside any). */
  forCustomer(
    customerId: string,
    limit: number,
    before?: string,
    scope?: ConversationScope,
  ): Promise<TimelinePage> {
    return this.page('customer', customerId, limit, before, scope);
  }

  forConversation(conversationId: string, limit: number, before?: string): Promise<TimelinePage> {
    return this.page('conversation', conversationId, limit, before);
  }

  private async page(
    owner: TimelineOwner,
    id: string,
    limit: number,
    before?: string,
    scope?: ConversationScope,
  ): Promise<TimelinePage> {
    const seq = before ? decode(before) : null;
    // One more than the page: whether it exists says whether there is a next page.
    const rows = await this.repo.messagesBefore(owner, id, seq, limit + 1, scope);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encode(items[items.length - 1].seq) : null };
  }
}
