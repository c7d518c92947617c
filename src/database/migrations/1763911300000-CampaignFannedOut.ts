import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a campaign's fan-out wrote its last batch. A campaign whose sends are still held (quiet
 * hours: queued with a send_at) stays running after it, and completes once none is left.
 */
export class CampaignFannedOut1763911300000 implements MigrationInterface {
  name = 'CampaignFannedOut1763911300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN fanned_out_at timestamptz`);
    await q.query(
      `UPDATE campaigns SET fanned_out_at = completed_at WHERE status = 'completed' AND completed_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns DROP COLUMN IF EXISTS fanned_out_at`);
  }
}
