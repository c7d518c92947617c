import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Coalescer } from '../common/coalescer';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { ConversationActionsService } from './conversation-actions.service';

type Row = Record<string, unknown>;

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
    @InjectDataSource() private readonly db: DataSource,
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
    const timeout = this.config.env.ASSIGNMENT_REPLY_TIMEOUT_SECONDS;
    const agentId = assigned.assignee_id as string;
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
    const replied = (await this.db.query(
      `SELECT 1 FROM messages WHERE conversation_id = $1 AND author_id = $2 AND created_at >= $3::timestamptz LIMIT 1`,
      [payload.conversationId, payload.agentId, payload.assignedAt],
    )) as unknown[];
    if (replied.length) return;
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
    const waiting = (await this.db.query(
      `SELECT id FROM conversations WHERE queued_at IS NOT NULL AND assignee_id IS NULL AND status <> 'resolved' ORDER BY queued_at LIMIT 100`,
    )) as Array<{ id: string }>;
    let n = 0;
    for (const w of waiting) {
      if (!(await this.assignOrQueue(w.id))) break;
      n++;
    }
    if (n) this.log.log(`assigned ${n} waiting conversation(s)`);
    return n;
  }

  /** One transaction: the lock, what the asks need read at once, the picks, one write per kind. */
  private assignAll(asks: AssignAsk[]): Promise<Array<Row | null>> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('inbox.assignment', 0))`);
      const ids = [...new Set(asks.map((a) => a.conversationId))];
      const convs = new Map(
        (
          (await m.query(
            `SELECT id, team_id, assignee_id, status IN ('open', 'pending') AS counts
             FROM conversations WHERE id = ANY($1::uuid[]) AND status <> 'resolved'`,
            [ids],
          )) as Array<{
            id: string;
            team_id: string | null;
            assignee_id: string | null;
            counts: boolean;
          }>
        ).map((c) => [c.id, c]),
      );
      const teamIds = [...new Set([...convs.values()].flatMap((c) => c.team_id ?? []))];
      const teams = new Map(
        teamIds.length === 0
          ? []
          : (
              (await m.query(
                `SELECT id, assignment_strategy, last_assigned_user_id FROM teams WHERE id = ANY($1::uuid[])`,
                [teamIds],
              )) as Array<{
                id: string;
                assignment_strategy: string;
                last_assigned_user_id: string | null;
              }>
            ).map((t) => [t.id, t]),
      );
      const agents = (await m.query(
        `SELECT u.id, u.capacity,
                (SELECT count(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status IN ('open','pending'))::int AS open,
                ARRAY(SELECT tm.team_id FROM team_members tm WHERE tm.user_id = u.id) AS teams
         FROM users u JOIN agent_presence p ON p.user_id = u.id AND p.status = 'online'
         WHERE u.active AND u.role = 'agent'
         ORDER BY u.id`,
      )) as Candidate[];

      const picks: Array<string | null> = asks.map(({ conversationId, exclude }) => {
        const c = convs.get(conversationId);
        if (!c || (c.assignee_id !== null && c.assignee_id !== exclude)) return null;
        const team = c.team_id ? teams.get(c.team_id) : undefined;
        const agent = pick(agents, c.team_id, exclude, team);
        if (agent === null) return null;
        // Later picks of the batch see the load as it will be (an offered-on one leaves its holder).
        if (c.counts) {
          agent.open++;
          const holder = agents.find((a) => a.id === c.assignee_id);
          if (holder) holder.open--;
        }
        c.assignee_id = agent.id;
        if (team) team.last_assigned_user_id = agent.id;
        return agent.id;
      });
      const assigned = asks.flatMap((a, i) => {
        const agent = picks[i];
        return agent === null ? [] : [{ id: a.conversationId, agent }];
      });
      // Waiting for room: those no agent took, unless they were offered on (an exclude) or gone.
      const queued = asks.flatMap((a, i) =>
        picks[i] === null && a.exclude === null && convs.get(a.conversationId)?.assignee_id === null
          ? [a.conversationId]
          : [],
      );
      const rows = new Map<string, Row>();
      if (assigned.length) {
        const [updated] = (await m.query(
          `UPDATE conversations c SET assignee_id = v.agent, queued_at = NULL, updated_at = now()
           FROM unnest($1::uuid[], $2::uuid[]) AS v(id, agent) WHERE c.id = v.id RETURNING c.*`,
          [assigned.map((a) => a.id), assigned.map((a) => a.agent)],
        )) as [Row[], number];
        for (const row of updated) rows.set(row.id as string, row);
      }
      if (queued.length)
        await m.query(
          `UPDATE conversations SET queued_at = COALESCE(queued_at, now()) WHERE id = ANY($1::uuid[])`,
          [queued],
        );
      const touched = [...teams.values()].filter((t) =>
        assigned.some((a) => convs.get(a.id)?.team_id === t.id),
      );
      if (touched.length)
        await m.query(
          `UPDATE teams t SET last_assigned_user_id = v.agent FROM unnest($1::uuid[], $2::uuid[]) AS v(id, agent) WHERE t.id = v.id`,
          [touched.map((t) => t.id), touched.map((t) => t.last_assigned_user_id)],
        );
      // A conversation asked for twice in one batch is answered once (the first ask).
      return asks.map((a, i) => (picks[i] === null ? null : (rows.get(a.conversationId) ?? null)));
    });
  }
}

interface AssignAsk {
  conversationId: string;
  exclude: string | null;
}

interface Candidate {
  id: string;
  capacity: number;
  open: number;
  teams: string[];
}

/**
 * The agent for one conversation: online, of its team (any agent when it has none), not the
 * excluded one, with room; round robin after the team's last pick, else the least loaded.
 */
function pick(
  agents: Candidate[],
  teamId: string | null,
  exclude: string | null,
  team: { assignment_strategy: string; last_assigned_user_id: string | null } | undefined,
): Candidate | null {
  const free = agents.filter(
    (a) => a.id !== exclude && (teamId === null || a.teams.includes(teamId)) && a.open < a.capacity,
  );
  if (!free.length) return null;
  if (team?.assignment_strategy === 'round_robin') {
    const last = team.last_assigned_user_id ?? '';
    return free.find((a) => a.id > last) ?? free[0];
  }
  return free.reduce((best, a) => (a.open < best.open ? a : best));
}
