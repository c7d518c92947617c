import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationQueryService } from './conversation-query.service';
import type { InboxConversation } from './conversations.repository';
import type { BulkActionInput } from './inbox.dto';

export type BulkResult =
  | { id: string; ok: true; conversation: InboxConversation }
  | { id: string; ok: false; code: string; error: string };

/** A conversation's labels with new ones added at the end, each once. */
export function withAddedTags(current: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...current, ...added])];
}

/**
 * One action on many conversations: each goes through the same single-conversation action (so
 * the same visibility, validation, audit and events), one after another; a refusal is reported
 * for its id and the others still run.
 */
@Injectable()
export class ConversationBulkService {
  private readonly log = new Logger(ConversationBulkService.name);

  constructor(
    private readonly actions: ConversationActionsService,
    private readonly query: ConversationQueryService,
  ) {}

  async apply(user: AuthUser, ids: string[], action: BulkActionInput): Promise<BulkResult[]> {
    const results: BulkResult[] = [];
    for (const id of [...new Set(ids)]) {
      try {
        results.push({ id, ok: true, conversation: await this.applyOne(user, id, action) });
      } catch (e) {
        if (e instanceof DomainError) {
          results.push({ id, ok: false, code: e.code, error: e.message });
        } else {
          this.log.error(`bulk ${action.type} on ${id} failed: ${String(e)}`);
          results.push({ id, ok: false, code: 'internal', error: 'the change failed; try again' });
        }
      }
    }
    return results;
  }

  private async applyOne(
    user: AuthUser,
    id: string,
    action: BulkActionInput,
  ): Promise<InboxConversation> {
    switch (action.type) {
      case 'assign':
        return this.actions.assign(user, id, action.agentId, action.teamId);
      case 'status':
        return this.actions.setStatus(user, id, action.status, action.snoozeUntil);
      case 'priority':
        return this.actions.setPriority(user, id, action.priority);
      case 'addTags': {
        const conv = await this.query.visibleRow(user, id);
        return this.actions.setTags(user, id, withAddedTags(conv.tags, action.tags));
      }
    }
  }
}
