import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbox search finds conversations by their customer (src/inbox/customer-match.sql.ts):
 *
 * - customers_name_grams: GIN over each name's distinct characters and character pairs
 *   (hub_name_grams), asked `@> hub_name_query_grams(term)` (the term's pairs, or its one
 *   character). Chinese names are two or three characters and are searched by one or two
 *   (陈静, 静): pg_trgm gives a two-character term no trigram, so it could only scan every
 *   name; pairs give a short posting list per pair, intersected, then checked whole by strpos.
 *   Merged-away customers are left out (their conversations moved to the survivor).
 * - customer_identities_address_trgm: trigrams of e-mail addresses and WeChat ids, for a part of
 *   one typed anywhere (`LIKE '%chen.jing%'`), from three characters as for messages.
 * - customer_identities_phone_suffix: phones are E.164 and a whole typed number is found by the
 *   unique (kind, address) index; the last digits of one (`…8000`) are a prefix of the reversed
 *   number, which a btree with text_pattern_ops answers as a range. Digit trigrams would not:
 *   with ten symbols each trigram is held by about a thousandth of all numbers.
 */
export class CustomerSearch1763910400000 implements MigrationInterface {
  name = 'CustomerSearch1763910400000';

  async up(q: QueryRunner): Promise<void> {
    // PL/pgSQL: a third of the cost of the same in SQL (array_agg over generate_series), paid on
    // every write of a customer. Repeated grams are left in: GIN keeps each key once per row.
    await q.query(`
      CREATE FUNCTION hub_name_grams(name text) RETURNS text[]
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
      DECLARE
        l text := lower(name);
        len int := char_length(l);
        grams text[] := '{}';
      BEGIN
        FOR i IN 1..len LOOP
          grams := grams || substr(l, i, 1);
          IF i < len THEN grams := grams || substr(l, i, 2); END IF;
        END LOOP;
        RETURN grams;
      END $$`);
    // A term's pairs at every other position and its last one: each is in every name holding
    // the term, and half as many posting lists to intersect (common Latin pairs are long).
    await q.query(`
      CREATE FUNCTION hub_name_query_grams(term text) RETURNS text[]
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(lower(term), i, least(2, char_length(term)))), '{}')
        FROM generate_series(1, greatest(char_length(term) - 1, 1)) i
        WHERE i % 2 = 1 OR i = char_length(term) - 1
      $$`);
    await q.query(
      `CREATE INDEX customers_name_grams ON customers USING gin (hub_name_grams(display_name)) WHERE merged_into_id IS NULL`,
    );
    await q.query(
      `CREATE INDEX customer_identities_address_trgm ON customer_identities USING gin (lower(address) gin_trgm_ops) WHERE kind IN ('email', 'wechat')`,
    );
    await q.query(
      `CREATE INDEX customer_identities_phone_suffix ON customer_identities (reverse(address) text_pattern_ops) WHERE kind = 'phone'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS customer_identities_phone_suffix`);
    await q.query(`DROP INDEX IF EXISTS customer_identities_address_trgm`);
    await q.query(`DROP INDEX IF EXISTS customers_name_grams`);
    await q.query(`DROP FUNCTION IF EXISTS hub_name_query_grams(text)`);
    await q.query(`DROP FUNCTION IF EXISTS hub_name_grams(text)`);
  }
}
