import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobHandler } from '../queue/job-handler.decorator';
import { ConversationActionsService } from './conversation-actions.service';

type Row = Record<string, unknown>;

/** Reopens a snoozed conversation at its time (unless it was woken or re-snoozed meanwhile). */
@Injectable()
export class SnoozeJobs {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly actions: ConversationActionsService,
  ) {}

  @JobHandler('timers', 'conversation.wake')
  async wake(payload: Record<string, unknown>): Promise<void> {
    const [rows] = (await this.db.query(
      `UPDATE conversations SET status = 'open', snoozed_until = NULL, updated_at = now()
       WHERE id = $1 AND status = 'snoozed' AND snoozed_until = $2::timestamptz RETURNING *`,
      [payload.conversationId, payload.until],
    )) as [Row[], number];
    if (rows[0]) await this.actions.publish(rows[0]);
  }
}
