import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agent's notification centre: one row per recipient of a mention, assignment, SLA warning or
 * breach, or due follow-up. `data` holds what the title is made of (who, which customer), never
 * rendered text: the client translates. `key` makes a retried event land once per recipient.
 */
export class Notifications1763910900000 implements MigrationInterface {
  name = 'Notifications1763910900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('mention', 'assignment', 'sla_warning', 'sla_breach', 'follow_up')),
      conversation_id uuid REFERENCES conversations(id) ON DELETE CASCADE,
      message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
      data jsonb NOT NULL DEFAULT '{}',
      key text NOT NULL,
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE UNIQUE INDEX notifications_once ON notifications (user_id, key)`);
    await q.query(
      `CREATE INDEX notifications_of_user ON notifications (user_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX notifications_unread ON notifications (user_id, kind) WHERE read_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX notifications_read_age ON notifications (read_at) WHERE read_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notifications`);
  }
}
