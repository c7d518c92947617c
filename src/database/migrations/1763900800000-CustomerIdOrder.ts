import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * New customers get time-ordered ids (UUIDv7, RFC 9562: the millisecond first, then random bits
 * with the version and variant set), so the order of ids follows the order rows were written.
 * A campaign walks its segment by id: with random ids every customer of a batch, its identities,
 * consents and timeline entries sat on a page of their own (a read per customer once the tables
 * outgrow shared_buffers); with ordered ids a batch reads neighbouring pages. Existing ids stay.
 */
export class CustomerIdOrder1763900800000 implements MigrationInterface {
  name = 'CustomerIdOrder1763900800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION hub_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
        SELECT encode(
          set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                    FROM 1 FOR 6),
            52, 1), 53, 1),
          'hex')::uuid
      $$`);
    await q.query(`ALTER TABLE customers ALTER COLUMN id SET DEFAULT hub_uuid_v7()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customers ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION hub_uuid_v7()`);
  }
}
