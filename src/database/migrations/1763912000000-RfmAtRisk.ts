import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The at-risk customers of a tier (the contacts' tiers view, a segment `{tier, rfm: {churnRisk:
 * true}}`): a small part of the customers, found by a partial index rather than by walking them all.
 */
export class RfmAtRisk1763912000000 implements MigrationInterface {
  name = 'RfmAtRisk1763912000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS rfm_scores_at_risk ON rfm_scores (tier, customer_id) WHERE churn_risk`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS rfm_scores_at_risk`);
  }
}
