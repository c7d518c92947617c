import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { VisibilityRepository, type ConversationPlacement } from './visibility.repository';

export type { ConversationPlacement } from './visibility.repository';

/** Who sees which conversation: supervisors and admins all; agents team-less ones, their teams' and their own. */
export interface ConversationScope {
  all: boolean;
  userId: string;
  teamIds: string[];
}

export function canSee(
  scope: ConversationScope,
  conv: { teamId: string | null; assigneeId: string | null },
): boolean {
  if (scope.all) return true;
  if (conv.assigneeId === scope.userId) return true;
  if (conv.teamId === null) return true;
  return scope.teamIds.includes(conv.teamId);
}

@Injectable()
export class VisibilityService {
  constructor(private readonly repo: VisibilityRepository) {}

  async scopeOf(user: Pick<AuthUser, 'id' | 'role'>): Promise<ConversationScope> {
    if (user.role === 'marketer')
      throw new DomainError('forbidden', 'marketers have no access to conversation content');
    if (user.role === 'admin' || user.role === 'supervisor')
      return { all: true, userId: user.id, teamIds: [] };
    return { all: false, userId: user.id, teamIds: await this.teamIdsOf(user.id) };
  }

  teamIdsOf(userId: string): Promise<string[]> {
    return this.repo.teamIdsOf(userId);
  }

  /** A conversation's team and assignee (what decides who sees it); null for no such conversation. */
  placementOf(conversationId: string): Promise<ConversationPlacement | null> {
    return this.repo.placementOf(conversationId);
  }

  /**
   * For routes that reach a conversation's content another way (a message, an attachment): 403
   * when the message's conversation is outside the user's scope. A message outside any
   * conversation (a routed notification, a campaign send) is not conversation content.
   */
  async assertCanSeeConversationOf(
    user: Pick<AuthUser, 'id' | 'role'>,
    conversationId: string | null,
  ): Promise<void> {
    const scope = await this.scopeOf(user);
    if (scope.all || conversationId === null) return;
    const c = await this.repo.placementOf(conversationId);
    if (c && !canSee(scope, c))
      throw new DomainError('forbidden', `conversation ${c.id} belongs to a team you are not in`);
  }

  /** 404 for a conversation that does not exist, 403 for one outside the user's scope. */
  async assertCanSee(
    user: Pick<AuthUser, 'id' | 'role'>,
    conv: { id: string; teamId: string | null; assigneeId: string | null },
  ): Promise<void> {
    const scope = await this.scopeOf(user);
    if (!canSee(scope, conv))
      throw new DomainError(
        'forbidden',
        `conversation ${conv.id} belongs to a team you are not in`,
      );
  }
}
