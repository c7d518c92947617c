import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys of service integrations: only a hash of the key is kept (SHA-256: the key is 32
 * random bytes, so a slow hash adds nothing), with its scopes, optional role and expiry.
 */
export class ApiKeys1763911510000 implements MigrationInterface {
  name = 'ApiKeys1763911510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL DEFAULT '{}',
        role text CHECK (role IN ('admin','supervisor','agent','marketer')),
        expires_at timestamptz,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS api_keys`);
  }
}
