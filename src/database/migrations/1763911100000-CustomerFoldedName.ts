import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers by their name with case, width (全角) and spacing folded, for the customer panel's
 * duplicate suggestions (CustomerDuplicatesRepository, normaliseName).
 */
export class CustomerFoldedName1763911100000 implements MigrationInterface {
  name = 'CustomerFoldedName1763911100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX customers_folded_name ON customers
         (lower(btrim(regexp_replace(normalize(display_name, NFKC), '\\s+', ' ', 'g'))))
       WHERE merged_into_id IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS customers_folded_name`);
  }
}
