import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
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
    const assigned = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('inbox.assignment', 0))`);
      const [c] = (await m.query(
        `SELECT * FROM conversations WHERE id = $1 AND (assignee_id IS NULL OR assignee_id = $2) AND status <> 'resolved'`,
        [conversationId, exclude],
      )) as Row[];
      if (!c) return null;
      const agent = await this.pick(m, (c.team_id as string) ?? null, exclude);
      if (!agent && exclude) return null;
      const [rows] = (await m.query(
        agent
          ? `UPDATE conversations SET assignee_id = $2, queued_at = NULL, updated_at = now() WHERE id = $1 RETURNING *`
          : `UPDATE conversations SET queued_at = COALESCE(queued_at, now()) WHERE id = $1 RETURNING *`,
        agent ? [conversationId, agent] : [conversationId],
      )) as [Row[], number];
      if (agent && c.team_id)
        await m.query(`UPDATE teams SET last_assigned_user_id = $2 WHERE id = $1`, [
          c.team_id,
          agent,
        ]);
      return agent ? rows[0] : null;
    });
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

  private async pick(
    m: EntityManager,
    teamId: string | null,
    exclude: string | null,
  ): Promise<string | null> {
    const [team] = teamId
      ? ((await m.query(
          `SELECT assignment_strategy, last_assigned_user_id FROM teams WHERE id = $1`,
          [teamId],
        )) as Row[])
      : [];
    const candidates = (await m.query(
      `SELECT u.id, u.capacity,
              (SELECT count(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status IN ('open','pending'))::int AS open
       FROM users u JOIN agent_presence p ON p.user_id = u.id AND p.status = 'online'
       WHERE u.active AND u.role = 'agent' AND ($2::uuid IS NULL OR u.id <> $2)
         AND ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = $1 AND tm.user_id = u.id))
       ORDER BY u.id`,
      [teamId, exclude],
    )) as Array<{ id: string; capacity: number; open: number }>;
    const free = candidates.filter((c) => c.open < c.capacity);
    if (!free.length) return null;
    if (team?.assignment_strategy === 'round_robin') {
      const after = free.find((c) => c.id > String(team.last_assigned_user_id ?? ''));
      return (after ?? free[0]).id;
    }
    return free.reduce((best, c) => (c.open < best.open ? c : best)).id;
  }
}
