// Shapes of GET /api/v1/team-view, and the pure rules of the team view.
import type { AnswerOf } from './api/answers';

export type TeamView = AnswerOf<'/api/v1/team-view', 'get'>;
export type TeamAgent = TeamView['agents'][number];
export type TeamConversation = TeamAgent['conversations'][number];
export type QueuedConversation = TeamView['queue'][number];
export type SlaRisk = TeamView['slaAtRisk'][number];

/** How full an agent is: 'free' under 70 %, 'busy' up to capacity, 'full' at or over it. */
export function loadLevel(open: number, capacity: number): 'free' | 'busy' | 'full' {
  if (capacity <= 0 || open >= capacity) return 'full';
  return open / capacity >= 0.7 ? 'busy' : 'free';
}

const ORDER = { online: 0, away: 1, offline: 2 } as const;

/** Online first, then away, then offline; by name within each. */
export function sortAgents(agents: TeamAgent[]): TeamAgent[] {
  return [...agents].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name),
  );
}

/** Those a conversation can be moved to: everyone but its assignee, online first. */
export function reassignTargets(agents: TeamAgent[], assigneeId: string | null): TeamAgent[] {
  return sortAgents(agents.filter((a) => a.id !== assigneeId));
}
