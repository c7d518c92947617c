import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { NotificationsRepository, type NewNotification } from './notifications.repository';

const HOUR_MS = 3_600_000;
/** Read notifications are kept this long, then purged by an hourly maintenance job. */
export const READ_NOTIFICATION_DAYS = 30;
const PURGE_BATCH = 1000;

/**
 * The notification centre's writer: mentions, assignments, SLA warnings and breaches, due
 * follow-ups become one row per recipient (idempotent on a key, so a retried event does not
 * double), each pushed live as `notification` to its user (through notification.created).
 */
@Injectable()
export class NotificationsService implements OnModuleInit, OnApplicationBootstrap {
  private readonly log = new Logger('Notifications');

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly events: DomainEvents,
    private readonly queue: JobQueueService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.on('inbox.mention', (e) =>
      this.write({
        userIds: e.userIds,
        kind: 'mention',
        conversationId: e.conversationId,
        messageId: e.messageId,
        // Not the note's text: a mentioned user outside the conversation's team may not read it.
        data: { by: e.by.name },
        key: `mention:${e.messageId}`,
      }),
    );
    this.events.on('conversation.assigned', (e) => {
      if (e.by?.id === e.assigneeId) return;
      return this.write({
        userIds: [e.assigneeId],
        kind: 'assignment',
        conversationId: e.conversationId,
        data: { by: e.by?.name ?? null },
        key: `assignment:${e.conversationId}:${e.at}`,
      });
    });
    this.events.on('follow_up.due', (e) =>
      this.write({
        userIds: [e.agentId],
        kind: 'follow_up',
        conversationId: e.conversationId,
        data: { note: e.note },
        key: `follow_up:${e.followUpId}`,
      }),
    );
    this.events.on('sla.warning', async (e) =>
      this.write({
        userIds: e.assigneeId ? [e.assigneeId] : await this.repo.supervisors(),
        kind: 'sla_warning',
        conversationId: e.conversationId,
        data: { sla: e.kind, dueAt: e.dueAt },
        key: `sla_warning:${e.conversationId}:${e.kind}:${e.cycleAt}`,
      }),
    );
    this.events.on('webhook.disabled', (e) =>
      this.write({
        userIds: e.ownerId ? [e.ownerId] : [],
        kind: 'webhook_disabled',
        conversationId: null,
        data: { url: e.url, reason: e.reason, subscriptionId: e.subscriptionId },
        key: `webhook_disabled:${e.subscriptionId}:${new Date().toISOString()}`,
      }),
    );
    this.events.on('sla.breached', async (e) =>
      this.write({
        userIds: e.assigneeId ? [e.assigneeId] : await this.repo.supervisors(),
        kind: 'sla_breach',
        conversationId: e.conversationId,
        data: { sla: e.kind, policy: e.policy },
        key: `sla_breach:${e.conversationId}:${e.kind}:${e.cycleAt ?? ''}`,
      }),
    );
  }

  private async write(n: NewNotification): Promise<void> {
    if (n.userIds.length === 0) return;
    for (const { userId, ...notification } of await this.repo.insert(n))
      this.events.emit('notification.created', { userId, notification });
  }

  list(
    userId: string,
    q: { unread?: boolean; after: { at: string; id: string } | null; limit: number },
  ) {
    return this.repo.list(userId, { unread: q.unread === true, after: q.after, limit: q.limit });
  }

  markRead(userId: string, ids: string[] | 'all'): Promise<number> {
    return this.repo.markRead(userId, ids);
  }

  async unreadCount(userId: string): Promise<{ count: number; byKind: Record<string, number> }> {
    const byKind = await this.repo.unreadCounts(userId);
    return { count: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsWorker) await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    const slot = Math.floor(Date.now() / HOUR_MS) + 1;
    await this.queue.enqueue({
      queue: QUEUES.maintenance.name,
      name: 'notification-retention',
      payload: { slot },
      dedupeKey: `notification-retention:${slot}`,
      runAt: new Date(slot * HOUR_MS),
      maxAttempts: 3,
    });
  }

  @JobHandler('maintenance', 'notification-retention')
  async scheduled(): Promise<void> {
    const n = await this.purge();
    if (n > 0)
      this.log.log(`purged ${n} read notification(s) older than ${READ_NOTIFICATION_DAYS} days`);
    await this.scheduleNext();
  }

  /** Deletes read notifications older than READ_NOTIFICATION_DAYS; answers how many. */
  async purge(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - READ_NOTIFICATION_DAYS * 24 * HOUR_MS);
    let total = 0;
    for (;;) {
      const n = await this.repo.deleteReadBefore(before, PURGE_BATCH);
      total += n;
      if (n < PURGE_BATCH) return total;
    }
  }
}
