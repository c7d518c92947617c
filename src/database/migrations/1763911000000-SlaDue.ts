import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The running SLA cycle's deadlines and its breach, kept beside sla_cycle_at (written where the
 * timers are computed in business hours) so lists and details show them without recomputing:
 * a first-response deadline is cleared by the first agent reply; all four end with the cycle.
 */
export class SlaDue1763911000000 implements MigrationInterface {
  name = 'SlaDue1763911000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations
      ADD COLUMN sla_first_response_due_at timestamptz,
      ADD COLUMN sla_resolution_due_at timestamptz,
      ADD COLUMN sla_breached_at timestamptz,
      ADD COLUMN sla_breach_kind text CHECK (sla_breach_kind IN ('first_response', 'resolution'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations
      DROP COLUMN IF EXISTS sla_first_response_due_at,
      DROP COLUMN IF EXISTS sla_resolution_due_at,
      DROP COLUMN IF EXISTS sla_breached_at,
      DROP COLUMN IF EXISTS sla_breach_kind`);
  }
}
