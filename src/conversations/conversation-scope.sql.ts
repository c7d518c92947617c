import type { ConversationScope } from './visibility.service';

/** A SQL condition on alias `c` for the scope; parameters are appended to `params`. */
export function scopeSql(scope: ConversationScope, params: unknown[]): string {
  if (scope.all) return 'TRUE';
  params.push(scope.userId);
  const u = `$${params.length}`;
  params.push(scope.teamIds);
  const t = `$${params.length}`;
  return `(c.assignee_id = ${u} OR c.team_id IS NULL OR c.team_id = ANY(${t}::uuid[]))`;
}
