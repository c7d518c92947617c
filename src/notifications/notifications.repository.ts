import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export const NOTIFICATION_KINDS = [
  'mention',
  'assignment',
  'sla_warning',
  'sla_breach',
  'follow_up',
  'webhook_disabled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A row as the API and the `notification` socket event give it. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  conversationId: string | null;
  messageId: string | null;
  /** What the title is made of (by, customer, note, kind of SLA): the client translates. */
  data: Record<string, unknown>;
  readAt: string | null;
  createdAt: string;
}

export interface NewNotification {
  userIds: string[];
  kind: NotificationKind;
  conversationId: string | null;
  messageId?: string | null;
  data: Record<string, unknown>;
  /** Same key, same user: written once (a retried event). */
  key: string;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
const view = (r: Row): NotificationView => ({
  id: r.id as string,
  kind: r.kind as NotificationKind,
  conversationId: (r.conversation_id as string) ?? null,
  messageId: (r.message_id as string) ?? null,
  data: (r.data as Record<string, unknown>) ?? {},
  readAt: iso(r.read_at),
  createdAt: iso(r.created_at)!,
});

/** The notifications table: written per recipient, read and marked by its own user only. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One row per active recipient, the customer's name added to the data; answers the rows
   * written (none for a key already there).
   */
  async insert(n: NewNotification): Promise<Array<NotificationView & { userId: string }>> {
    const rows = (await this.db.query(
      `INSERT INTO notifications (user_id, kind, conversation_id, message_id, data, key)
       SELECT u.id, $2, $3, $4,
              $5::jsonb || jsonb_build_object('customer',
                (SELECT cu.display_name FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $3)),
              $6
         FROM users u WHERE u.id = ANY($1::uuid[]) AND u.active
       ON CONFLICT (user_id, key) DO NOTHING
       RETURNING *`,
      [n.userIds, n.kind, n.conversationId, n.messageId ?? null, JSON.stringify(n.data), n.key],
    )) as Row[];
    return rows.map((r) => ({ ...view(r), userId: r.user_id as string }));
  }

  /** Active supervisors: who hears of an SLA problem on a conversation nobody holds. */
  async supervisors(): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id FROM users WHERE role = 'supervisor' AND active`,
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /** Newest first, after the keyset cursor (created_at, id). */
  async list(
    userId: string,
    opts: { unread: boolean; after: { at: string; id: string } | null; limit: number },
  ): Promise<NotificationView[]> {
    const params: unknown[] = [userId, opts.limit];
    let where = `user_id = $1`;
    if (opts.unread) where += ` AND read_at IS NULL`;
    if (opts.after) {
      params.push(opts.after.at, opts.after.id);
      where += ` AND (created_at, id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows = (await this.db.query(
      `SELECT * FROM notifications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    )) as Row[];
    return rows.map(view);
  }

  /** Marks the user's own rows read (the ids given, or all); answers how many changed. */
  async markRead(userId: string, ids: string[] | 'all'): Promise<number> {
    const res = (await this.db.query(
      `UPDATE notifications SET read_at = now()
        WHERE user_id = $1 AND read_at IS NULL ${ids === 'all' ? '' : 'AND id = ANY($2::uuid[])'}`,
      ids === 'all' ? [userId] : [userId, ids],
    )) as [unknown, number];
    return res[1] ?? 0;
  }

  /** Unread rows of the user, per kind. */
  async unreadCounts(userId: string): Promise<Record<string, number>> {
    const rows = (await this.db.query(
      `SELECT kind, count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL GROUP BY kind`,
      [userId],
    )) as Array<{ kind: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }

  /** Deletes at most `limit` rows read before `before`; answers how many went. */
  async deleteReadBefore(before: Date, limit: number): Promise<number> {
    const res = (await this.db.query(
      `DELETE FROM notifications WHERE id IN (
         SELECT id FROM notifications WHERE read_at IS NOT NULL AND read_at < $1 LIMIT $2)`,
      [before, limit],
    )) as [unknown, number];
    return res[1] ?? 0;
  }
}
