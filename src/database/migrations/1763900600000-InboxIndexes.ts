import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbox, second step: the SLA cycle of a conversation (set when its timers start, at creation or
 * on reopening; cleared when it is resolved or snoozed), and a cheaper search (bench:inbox).
 */
export class InboxIndexes1763900600000 implements MigrationInterface {
  name = 'InboxIndexes1763900600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations ADD COLUMN sla_cycle_at timestamptz`);
    // Conversations already open are in a cycle: no second set of timers on their next message.
    await q.query(
      `UPDATE conversations SET sla_cycle_at = created_at WHERE status IN ('open', 'pending')`,
    );
    // Search compares a stored lower-cased copy with LIKE: ILIKE lower-cases every row it checks,
    // six times the cost of LIKE on UTF-8 text. The trigram index covers only searchable rows.
    await q.query(
      `ALTER TABLE messages ADD COLUMN search_text text GENERATED ALWAYS AS (lower(text)) STORED`,
    );
    await q.query(`DROP INDEX IF EXISTS messages_text_trgm`);
    await q.query(
      `CREATE INDEX messages_search_trgm ON messages USING gin (search_text gin_trgm_ops) WHERE conversation_id IS NOT NULL AND kind <> 'event'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS messages_search_trgm`);
    await q.query(`ALTER TABLE messages DROP COLUMN IF EXISTS search_text`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS messages_text_trgm ON messages USING gin (text gin_trgm_ops)`,
    );
    await q.query(`ALTER TABLE conversations DROP COLUMN IF EXISTS sla_cycle_at`);
  }
}
