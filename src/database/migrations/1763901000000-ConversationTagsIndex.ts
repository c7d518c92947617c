import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * conversations_tags held an entry for every conversation, untagged ones too (GIN indexes an
 * empty array), rewritten with each message (which gives the row a new version), and served no
 * query: the tag filter read `$1 = ANY(tags)`, which GIN cannot answer. It now holds tagged
 * conversations only, and the filter asks in the form it answers.
 */
export class ConversationTagsIndex1763901000000 implements MigrationInterface {
  name = 'ConversationTagsIndex1763901000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS conversations_tags`);
    await q.query(
      `CREATE INDEX conversations_tags ON conversations USING gin (tags) WHERE tags <> '{}'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS conversations_tags`);
    await q.query(`CREATE INDEX conversations_tags ON conversations USING gin (tags)`);
  }
}
