import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer's digests still gathering or being flushed, by customer: what a digest plan reads
 * (one customer, or a campaign batch's customers as one array) and what an erasure cancels.
 * Sent and dropped digests, the many, stay out of it.
 */
export class DigestsByCustomer1763911200000 implements MigrationInterface {
  name = 'DigestsByCustomer1763911200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX digests_live ON digests (customer_id, status) WHERE status IN ('open', 'closed')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS digests_live`);
  }
}
