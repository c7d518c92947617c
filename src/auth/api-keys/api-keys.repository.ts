import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '../../common/names';
import { returnedRows } from '../../database/returned-rows';

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart; the key itself is never stored. */
  prefix: string;
  scopes: string[];
  role: Role | null;
  expiresAt: Date | null;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A key found by its hash, with what its creator's row says now. */
export interface ApiKeyOwner extends ApiKeyRecord {
  ownerEmail: string;
  ownerActive: boolean;
}

export interface NewApiKey {
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  role: Role | null;
  expiresAt: Date | null;
  createdBy: string;
}

const COLUMNS = `k.id, k.name, k.prefix, k.scopes, k.role, k.expires_at AS "expiresAt",
  k.created_by AS "createdBy", k.created_at AS "createdAt", k.last_used_at AS "lastUsedAt",
  k.revoked_at AS "revokedAt"`;

/** The api_keys table: hashed keys of service integrations. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(key: NewApiKey): Promise<ApiKeyRecord> {
    const rows = (await this.db.query(
      `INSERT INTO api_keys AS k (name, prefix, key_hash, scopes, role, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [key.name, key.prefix, key.hash, key.scopes, key.role, key.expiresAt, key.createdBy],
    )) as ApiKeyRecord[];
    return rows[0];
  }

  /** Newest first; revoked keys stay listed (their uses stay in the audit log). */
  async list(): Promise<ApiKeyRecord[]> {
    return (await this.db.query(
      `SELECT ${COLUMNS} FROM api_keys k ORDER BY k.created_at DESC LIMIT 500`,
    )) as ApiKeyRecord[];
  }

  /** One indexed read per request: revocation and the owner's deactivation apply at once. */
  async byHash(hash: string): Promise<ApiKeyOwner | null> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS}, u.email AS "ownerEmail", u.active AS "ownerActive"
         FROM api_keys k JOIN users u ON u.id = k.created_by WHERE k.key_hash = $1`,
      [hash],
    )) as ApiKeyOwner[];
    return rows[0] ?? null;
  }

  /** The revoked key; missing when there is none, already when it was revoked before. */
  async revoke(id: string): Promise<ApiKeyRecord | 'missing' | 'already'> {
    const rows = returnedRows<ApiKeyRecord>(
      await this.db.query(
        `UPDATE api_keys k SET revoked_at = now() WHERE k.id = $1 AND k.revoked_at IS NULL
         RETURNING ${COLUMNS}`,
        [id],
      ),
    );
    if (rows[0]) return rows[0];
    const exists = (await this.db.query(`SELECT 1 FROM api_keys WHERE id = $1`, [id])) as unknown[];
    return exists.length ? 'already' : 'missing';
  }

  /** Stamps the last use, at most once a minute per key (not a write per request). */
  async touch(id: string): Promise<void> {
    await this.db.query(
      `UPDATE api_keys SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
