import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { slaDeadline } from './sla-risk';
import { TeamViewRepository, type TeamViewConversation } from './team-view.repository';

export const teamViewQuerySchema = z
  .object({ soonMinutes: z.coerce.number().int().min(1).max(1440).default(30) })
  .strict();
export type TeamViewQuery = z.infer<typeof teamViewQuerySchema>;

/** Caps that keep the view one quick read on a busy desk. */
const ASSIGNED_LIMIT = 1000;
const WAITING_LIMIT = 200;
const SLA_SCAN_LIMIT = 1000;

const conversationView = (c: TeamViewConversation) => ({
  id: c.id,
  status: c.status,
  priority: c.priority,
  customerName: c.customerName,
  channel: c.channel,
  preview: c.preview,
  teamId: c.teamId,
  assigneeId: c.assigneeId,
  createdAt: c.createdAt.toISOString(),
  lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
});

/**
 * The supervisors' live team view: every agent's presence and open load against capacity with
 * their conversations, the conversations waiting for an agent, and SLA deadlines breached or due
 * within `soonMinutes`.
 */
@Injectable()
export class TeamViewService {
  constructor(private readonly repo: TeamViewRepository) {}

  async view(q: TeamViewQuery, now = new Date()) {
    const [agents, assigned, waiting, cycles] = await Promise.all([
      this.repo.agents(),
      this.repo.assigned(ASSIGNED_LIMIT),
      this.repo.waiting(WAITING_LIMIT),
      this.repo.slaCycles(SLA_SCAN_LIMIT),
    ]);
    const names = new Map(agents.map((a) => [a.id, a.name]));
    const slaAtRisk = cycles
      .flatMap((c) => {
        const d = slaDeadline(c, now, q.soonMinutes * 60);
        return d
          ? [
              {
                ...conversationView(c),
                assigneeName: c.assigneeId ? (names.get(c.assigneeId) ?? null) : null,
                policy: c.policyName,
                kind: d.kind,
                state: d.state,
                dueAt: d.dueAt.toISOString(),
              },
            ]
          : [];
      })
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    return {
      generatedAt: now.toISOString(),
      soonMinutes: q.soonMinutes,
      agents: agents.map((a) => ({
        ...a,
        conversations: assigned.filter((c) => c.assigneeId === a.id).map(conversationView),
      })),
      queue: waiting.map((c) => ({
        ...conversationView(c),
        queuedAt: c.queuedAt?.toISOString() ?? null,
      })),
      slaAtRisk,
    };
  }
}
