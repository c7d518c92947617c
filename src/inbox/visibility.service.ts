import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';

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

/** A SQL condition on alias `c` for the scope; parameters are appended to `params`. */
export function scopeSql(scope: ConversationScope, params: unknown[]): string {
  if (scope.all) return 'TRUE';
  params.push(scope.userId);
  const u = `$${params.length}`;
  params.push(scope.teamIds);
  const t = `$${params.length}`;
  return `(c.assignee_id = ${u} OR c.team_id IS NULL OR c.team_id = ANY(${t}::uuid[]))`;
}

@Injectable()
export class VisibilityService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async scopeOf(user: Pick<AuthUser, 'id' | 'role'>): Promise<ConversationScope> {
    if (user.role === 'marketer')
      throw new DomainError('forbidden', 'marketers have no access to conversation content');
    if (user.role === 'admin' || user.role === 'supervisor')
      return { all: true, userId: user.id, teamIds: [] };
    return { all: false, userId: user.id, teamIds: await this.teamIdsOf(user.id) };
  }

  async teamIdsOf(userId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT team_id FROM team_members WHERE user_id = $1`, [
      userId,
    ])) as Array<{ team_id: string }>;
    return rows.map((r) => r.team_id);
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
    const rows = (await this.db.query(
      `SELECT id, team_id, assignee_id FROM conversations WHERE id = $1`,
      [conversationId],
    )) as Array<{ id: string; team_id: string | null; assignee_id: string | null }>;
    const c = rows[0];
    if (c && !canSee(scope, { teamId: c.team_id, assigneeId: c.assignee_id }))
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
