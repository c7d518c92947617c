import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What every outbound message and campaign recipient costs PostgreSQL to write (bench:campaign
 * at 1,000,000 customers):
 * - No foreign key from messages, campaign recipients and short links to customers. A customer
 *   row is never deleted (erasure blanks it, a merge keeps it), so the key guarded nothing, yet
 *   its check locked the customer's row for every message written: a random page of the
 *   customers table dirtied and logged whole after each checkpoint, per recipient.
 * - The indexes over conversation and provider id hold only rows that have one (campaign and
 *   queued messages have neither); lookups by either always name a value.
 * - The lower-cased copy that search reads is kept only for rows that search can find.
 */
export class CampaignWriteCost1763900700000 implements MigrationInterface {
  name = 'CampaignWriteCost1763900700000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['messages', 'campaign_recipients', 'short_links'])
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_customer_id_fkey`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_channel_provider_id`);
    await q.query(
      `CREATE UNIQUE INDEX messages_channel_provider_id ON messages (channel, provider_message_id) WHERE provider_message_id IS NOT NULL`,
    );
    await q.query(`DROP INDEX messages_conversation_timeline`);
    await q.query(
      `CREATE INDEX messages_conversation_timeline ON messages (conversation_id, seq DESC) WHERE conversation_id IS NOT NULL`,
    );
    await q.query(`DROP INDEX messages_search_trgm`);
    await q.query(`ALTER TABLE messages DROP COLUMN search_text`);
    await q.query(
      `ALTER TABLE messages ADD COLUMN search_text text GENERATED ALWAYS AS (CASE WHEN conversation_id IS NOT NULL AND kind <> 'event' THEN lower(text) END) STORED`,
    );
    await q.query(
      `CREATE INDEX messages_search_trgm ON messages USING gin (search_text gin_trgm_ops) WHERE conversation_id IS NOT NULL AND kind <> 'event'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messages_search_trgm`);
    await q.query(`ALTER TABLE messages DROP COLUMN search_text`);
    await q.query(
      `ALTER TABLE messages ADD COLUMN search_text text GENERATED ALWAYS AS (lower(text)) STORED`,
    );
    await q.query(
      `CREATE INDEX messages_search_trgm ON messages USING gin (search_text gin_trgm_ops) WHERE conversation_id IS NOT NULL AND kind <> 'event'`,
    );
    await q.query(`DROP INDEX messages_conversation_timeline`);
    await q.query(
      `CREATE INDEX messages_conversation_timeline ON messages (conversation_id, seq DESC)`,
    );
    await q.query(`DROP INDEX messages_channel_provider_id`);
    await q.query(
      `ALTER TABLE messages ADD CONSTRAINT messages_channel_provider_id UNIQUE (channel, provider_message_id)`,
    );
    // Added NOT VALID, then validated: the check scans under a lock that lets writes go on, and
    // leaves the keys as they were before up(). A row written since, whose customer is missing,
    // fails the validation (and this down()) with the constraint's name.
    for (const table of ['messages', 'campaign_recipients', 'short_links']) {
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE NOT VALID`,
      );
      await q.query(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${table}_customer_id_fkey`);
    }
  }
}
