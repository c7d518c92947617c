import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Coalescer } from '../common/coalescer';
import { AppConfig } from '../config/app-config';
import { Transactions } from '../database/transactions';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { AssignmentRepository, type Candidate, type TeamAssignment } from './assignment.repository';
import { ConversationActionsService } from './conversation-actions.service';
import type { InboxConversation } from './conversations.repository';

/**
 * Automatic assignment: a new conversation goes to an online agent of its team (any agent when it
 * has none) with room under users.capacity, by least open conversations or round robin. When all
 * are full it waits (queued_at) and is assigned oldest first as capacity frees.
 */
@Injectable()
export class AssignmentService implements OnModuleInit {
  private readonly log = new Logger('Assignment');
  /**
   * Conversations asking at once (a burst of first contacts) are assigned in one transaction
   * under the one lock, in order, each seeing the capacity the earlier ones took: one lock wait
   * per batch instead of one per conversation, which serialized every first contact.
   */
  private readonly assignments = new Coalescer((asks: AssignAsk[]) => this.assignAll(asks));

  constructor(
    private readonly repo: AssignmentRepository,
    private readonly transactions: Transactions,
    private readonly events: DomainEvents,
    private readonly actions: ConversationActionsService,
    private readonly queue: JobQueueService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.on('conversation.created', ({ conversation }) =>
      this.assignOrQueue(conversation.id),
    );
    this.events.on('conversation.updated', async ({ conversation }) => {
      if (conversation.status === 'resolved' && conversation.assigneeId) await this.drainQueue();
    });
  }

  async assignOrQueue(
    conversationId: string,
    exclude: string | null = null,
  ): Promise<string | null> {
    const assigned = await this.assignments.submit({ conversationId, exclude });
    if (!assigned) return null;
    await this.actions.publish(assigned);
    this.events.emit('conversation.assigned', {
      conversationId,
      assigneeId: assigned.assigneeId!,
      by: null,
      at: assigned.updatedAt,
    });
    const timeout = this.config.env.ASSIGNMENT_REPLY_TIMEOUT_SECONDS;
    const agentId = assigned.assigneeId!;
    if (timeout > 0) {
      const assignedAt = new Date();
      await this.queue.enqueue({
        queue: 'timers',
        name: 'assignment.reply_timeout',
        payload: { conversationId, agentId, assignedAt: assignedAt.toISOString() },
        dedupeKey: `offer:${conversationId}:${agentId}:${assignedAt.getTime()}`,
        runAt: new Date(assignedAt.getTime() + timeout * 1000),
      });
    }
    return agentId;
  }

  /** The assignee has not replied in time: offer the conversation to the next agent with room. */
  @JobHandler('timers', 'assignment.reply_timeout')
  async replyTimeout(payload: Record<string, unknown>): Promise<void> {
    const replied = await this.repo.repliedSince(
      payload.conversationId as string,
      payload.agentId as string,
      payload.assignedAt as string,
    );
    if (replied) return;
    const next = await this.assignOrQueue(
      payload.conversationId as string,
      payload.agentId as string,
    );
    if (next)
      this.log.log(
        `conversation ${String(payload.conversationId)} offered to the next agent after no reply`,
      );
  }

  /** Assigns waiting conversations, oldest first, until nobody has room. */
  async drainQueue(): Promise<number> {
    const waiting = await this.repo.queued();
    let n = 0;
    for (const id of waiting) {
      if (!(await this.assignOrQueue(id))) break;
      n++;
    }
    if (n) this.log.log(`assigned ${n} waiting conversation(s)`);
    return n;
  }

  /** One transaction: the lock, what the asks need read at once, the picks, one write per kind. */
  private assignAll(asks: AssignAsk[]): Promise<Array<InboxConversation | null>> {
    return this.transactions.run(async (tx) => {
      await this.repo.lock(tx);
      const ids = [...new Set(asks.map((a) => a.conversationId))];
      const convs = new Map((await this.repo.unresolved(ids, tx)).map((c) => [c.id, c]));
      const teamIds = [...new Set([...convs.values()].flatMap((c) => c.teamId ?? []))];
      const teams = new Map((await this.repo.teams(teamIds, tx)).map((t) => [t.id, t]));
      const agents = await this.repo.onlineAgents(tx);

      const picks: Array<string | null> = asks.map(({ conversationId, exclude }) => {
        const c = convs.get(conversationId);
        if (!c || (c.assigneeId !== null && c.assigneeId !== exclude)) return null;
        const team = c.teamId ? teams.get(c.teamId) : undefined;
        const agent = pick(agents, c.teamId, exclude, team);
        if (agent === null) return null;
        // Later picks of the batch see the load as it will be (an offered-on one leaves its holder).
        if (c.counts) {
          agent.open++;
          const holder = agents.find((a) => a.id === c.assigneeId);
          if (holder) holder.open--;
        }
        c.assigneeId = agent.id;
        if (team) team.lastAssignedUserId = agent.id;
        return agent.id;
      });
      const assigned = asks.flatMap((a, i) => {
        const agent = picks[i];
        return agent === null ? [] : [{ id: a.conversationId, agent }];
      });
      // Waiting for room: those no agent took, unless they were offered on (an exclude) or gone.
      const queued = asks.flatMap((a, i) =>
        picks[i] === null && a.exclude === null && convs.get(a.conversationId)?.assigneeId === null
          ? [a.conversationId]
          : [],
      );
      const updated = new Map<string, InboxConversation>();
      if (assigned.length)
        for (const conv of await this.repo.assignAll(assigned, tx)) updated.set(conv.id, conv);
      if (queued.length) await this.repo.enqueue(queued, tx);
      const touched = [...teams.values()].filter((t) =>
        assigned.some((a) => convs.get(a.id)?.teamId === t.id),
      );
      if (touched.length) await this.repo.rememberLastAssigned(touched, tx);
      // A conversation asked for twice in one batch is answered once (the first ask).
      return asks.map((a, i) =>
        picks[i] === null ? null : (updated.get(a.conversationId) ?? null),
      );
    });
  }
}

interface AssignAsk {
  conversationId: string;
  exclude: string | null;
}

/**
 * The agent for one conversation: online, of its team (any agent when it has none), not the
 * excluded one, with room; round robin after the team's last pick, else the least loaded.
 */
function pick(
  agents: Candidate[],
  teamId: string | null,
  exclude: string | null,
  team: TeamAssignment | undefined,
): Candidate | null {
  const free = agents.filter(
    (a) => a.id !== exclude && (teamId === null || a.teams.includes(teamId)) && a.open < a.capacity,
  );
  if (!free.length) return null;
  if (team?.assignmentStrategy === 'round_robin') {
    const last = team.lastAssignedUserId ?? '';
    return free.find((a) => a.id > last) ?? free[0];
  }
  return free.reduce((best, a) => (a.open < best.open ? a : best));
}
