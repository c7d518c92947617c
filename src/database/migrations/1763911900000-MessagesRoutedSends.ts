import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The routed sends of a recent window, latest first, for the policy simulator
 * (POST /routing/simulate): outbound messages with a routing intent, by creation time.
 */
export class MessagesRoutedSends1763911900000 implements MigrationInterface {
  name = 'MessagesRoutedSends1763911900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS messages_routed_sends ON messages (created_at DESC)
       WHERE direction = 'outbound' AND topic IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS messages_routed_sends`);
  }
}
