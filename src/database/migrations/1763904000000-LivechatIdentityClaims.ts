import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a live-chat visitor claims to be (an e-mail, a phone or the site's own user id) before it
 * is proven. The visitor stays its own customer (customer_id) until the claim is verified, by a
 * valid identity hash or by a one-time code sent to owner_customer_id (the customer holding the
 * address). The code is stored as an HMAC, never as given; attempts and sends are counted.
 */
export class LivechatIdentityClaims1763904000000 implements MigrationInterface {
  name = 'LivechatIdentityClaims1763904000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE livechat_identity_claims (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      visitor_id text NOT NULL,
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('email', 'phone', 'external')),
      address text NOT NULL,
      claimed_name text,
      status text NOT NULL DEFAULT 'unverified' CHECK (status IN ('unverified', 'verified')),
      owner_customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
      code_hash text,
      code_expires_at timestamptz,
      attempts int NOT NULL DEFAULT 0,
      codes_sent int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      verified_at timestamptz,
      CONSTRAINT livechat_identity_claims_visitor_kind_address UNIQUE (visitor_id, kind, address))`);
    await q.query(
      `CREATE INDEX livechat_identity_claims_customer ON livechat_identity_claims (customer_id)`,
    );
    await q.query(
      `CREATE INDEX livechat_identity_claims_owner ON livechat_identity_claims (owner_customer_id) WHERE owner_customer_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS livechat_identity_claims`);
  }
}
