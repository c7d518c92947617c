import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reply box's uploads and e-mail signatures:
 *
 * - attachments.uploaded_by: a file an agent uploaded before sending it, held with message_id
 *   NULL until a reply of theirs carries it (only the uploader may attach it).
 * - email_signatures: the signature appended to e-mail replies leaving from an inbox address
 *   (lower-cased), plain text.
 */
export class ReplyUploads1763910800000 implements MigrationInterface {
  name = 'ReplyUploads1763910800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE attachments ADD COLUMN uploaded_by uuid REFERENCES users(id) ON DELETE SET NULL`,
    );
    await q.query(
      `CREATE INDEX attachments_pending_uploads ON attachments (uploaded_by, created_at) WHERE message_id IS NULL`,
    );
    await q.query(`
      CREATE TABLE email_signatures (
        address text PRIMARY KEY CHECK (address = lower(address)),
        text text NOT NULL,
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS email_signatures`);
    await q.query(`DROP INDEX IF EXISTS attachments_pending_uploads`);
    await q.query(`ALTER TABLE attachments DROP COLUMN IF EXISTS uploaded_by`);
  }
}
