import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { notFound } from '../common/errors/domain-error';
import { ConversationDetailRepository } from './conversation-detail.repository';
import {
  ConversationSearchRepository,
  type MatchedCustomer,
} from './conversation-search.repository';
import { ConversationsRepository, type InboxConversation } from './conversations.repository';
import { decodeCursor, encodeCursor } from './cursor';
import { defaultReplyChannel } from './reply-channel';
import type { ListFilters } from './inbox.dto';
import { VisibilityService } from '../conversations/visibility.service';

/**
 * Reads for the inbox: the keyset-paginated list (filters, time-boxed search, and on a search's
 * first page the customers it matches) and one conversation.
 */
/** Customers a search shows above its conversations (first page only). */
export const MATCHED_CUSTOMERS_SHOWN = 5;

@Injectable()
export class ConversationQueryService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly search: ConversationSearchRepository,
    private readonly detailReads: ConversationDetailRepository,
    private readonly visibility: VisibilityService,
  ) {}

  async list(
    user: AuthUser,
    q: ListFilters,
  ): Promise<{
    items: InboxConversation[];
    nextCursor: string | null;
    customers?: MatchedCustomer[];
  }> {
    const scope = await this.visibility.scopeOf(user);
    const assigneeId = q.assignee === 'me' ? user.id : q.assignee === 'none' ? null : q.assignee;
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    // One more than the page, to tell whether a next page follows.
    const rows = await this.search.page(
      scope,
      {
        status: q.status,
        assigneeId,
        channel: q.channel,
        teamId: q.team,
        priority: q.priority,
        tag: q.tag,
        customerId: q.customerId,
        q: q.q,
      },
      after,
      q.limit + 1,
    );
    const customers =
      q.q && !after
        ? await this.search.matchingCustomers(scope, q.q, MATCHED_CUSTOMERS_SHOWN)
        : undefined;
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => r.conversation),
      nextCursor:
        rows.length > q.limit && last
          ? encodeCursor({ at: last.sortAt.toISOString(), id: last.conversation.id })
          : null,
      ...(customers ? { customers } : {}),
    };
  }

  /** The conversation with its customer's name, checked against the user's scope. */
  async visibleRow(user: AuthUser, id: string): Promise<InboxConversation> {
    const conv = await this.conversations.findWithCustomer(id);
    if (!conv) throw notFound('conversation', id);
    await this.visibility.assertCanSee(user, conv);
    return conv;
  }

  async detail(user: AuthUser, id: string) {
    const conv = await this.visibleRow(user, id);
    const messages = await this.detailReads.timeline(id);
    return {
      ...conv,
      replyChannel: defaultReplyChannel(conv),
      customer: await this.detailReads.customerPanel(conv.customerId),
      messages,
    };
  }
}
