import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every message moves its conversation's last_message_at, so every index on that column is
 * written again per message. conversations_recent (last_message_at alone) serves no query: the
 * inbox lists sort by COALESCE(last_message_at, created_at), which conversations_list and
 * conversations_status_recent cover.
 */
export class ConversationWriteCost1763900900000 implements MigrationInterface {
  name = 'ConversationWriteCost1763900900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS conversations_recent`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS conversations_recent ON conversations (last_message_at DESC, id DESC)`,
    );
  }
}
