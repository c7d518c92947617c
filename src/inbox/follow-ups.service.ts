import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationQueryService } from './conversation-query.service';

type Row = Record<string, unknown>;
const view = (r: Row) => ({
  id: r.id,
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  at: new Date(r.at as string).toISOString(),
  note: r.note,
  status: r.status,
});

/** "Call back Thursday": at its time the conversation reopens, assigned to the agent, who is notified. */
@Injectable()
export class FollowUpsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: ConversationQueryService,
    private readonly actions: ConversationActionsService,
    private readonly queue: JobQueueService,
    private readonly events: DomainEvents,
  ) {}

  async schedule(user: AuthUser, conversationId: string, at: string, note: string) {
    await this.query.visibleRow(user, conversationId);
    const when = new Date(at);
    if (when.getTime() <= Date.now())
      throw new DomainError('bad_request', 'at: must be in the future');
    const [row] = (await this.db.query(
      `INSERT INTO follow_ups (conversation_id, agent_id, at, note) VALUES ($1, $2, $3, $4) RETURNING *`,
      [conversationId, user.id, when, note],
    )) as Row[];
    await this.queue.enqueue({
      queue: 'timers',
      name: 'follow_up.due',
      payload: { followUpId: row.id },
      dedupeKey: `followup:${String(row.id)}`,
      runAt: when,
    });
    return view(row);
  }

  async list(user: AuthUser, conversationId: string) {
    await this.query.visibleRow(user, conversationId);
    return {
      items: (
        (await this.db.query(`SELECT * FROM follow_ups WHERE conversation_id = $1 ORDER BY at`, [
          conversationId,
        ])) as Row[]
      ).map(view),
    };
  }

  @JobHandler('timers', 'follow_up.due')
  async due(payload: Record<string, unknown>): Promise<void> {
    const [rows] = (await this.db.query(
      `UPDATE follow_ups SET status = 'done' WHERE id = $1 AND status = 'scheduled' RETURNING *`,
      [payload.followUpId],
    )) as [Row[], number];
    const f = rows[0];
    if (!f) return;
    let conv: Row | undefined;
    try {
      [conv] = (
        (await this.db.query(
          `UPDATE conversations SET status = 'open', snoozed_until = NULL, resolved_at = NULL, assignee_id = $2, updated_at = now() WHERE id = $1 RETURNING *`,
          [f.conversation_id, f.agent_id],
        )) as [Row[], number]
      )[0];
    } catch {
      // The customer has another active conversation: notify without reopening this one.
    }
    if (conv) await this.actions.publish(conv);
    this.events.emit('follow_up.due', {
      followUpId: f.id as string,
      agentId: f.agent_id as string,
      conversationId: f.conversation_id as string,
      note: f.note as string,
    });
  }
}
