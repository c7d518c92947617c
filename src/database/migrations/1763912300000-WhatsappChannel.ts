import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * WhatsApp is the sixth channel: template versions may be written for it. Every other table keys
 * channels without a CHECK, and a WhatsApp number is a `phone` identity (E.164) like SMS's.
 */
export class WhatsappChannel1763912300000 implements MigrationInterface {
  name = 'WhatsappChannel1763912300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE template_versions DROP CONSTRAINT IF EXISTS template_versions_channel_check`,
    );
    await q.query(
      `ALTER TABLE template_versions ADD CONSTRAINT template_versions_channel_check
         CHECK (channel IN ('email','sms','voice','wechat','livechat','whatsapp'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM template_versions WHERE channel = 'whatsapp'`);
    await q.query(
      `ALTER TABLE template_versions DROP CONSTRAINT IF EXISTS template_versions_channel_check`,
    );
    await q.query(
      `ALTER TABLE template_versions ADD CONSTRAINT template_versions_channel_check
         CHECK (channel IN ('email','sms','voice','wechat','livechat'))`,
    );
  }
}
